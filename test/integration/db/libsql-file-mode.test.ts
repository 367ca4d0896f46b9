import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import type { EntityManager } from '../../../src/db/orm';
import { LIBSQL_BUSY_TIMEOUT_MS, openOrm, type Orm } from '../../../src/db/orm';

type Row = Record<string, unknown>;

/**
 * The embedded default: a libSQL file in WAL mode with every commit still
 * synced (synchronous = FULL = 2) and a busy timeout, on every pooled
 * connection. The file is opened here whatever the Jest project's dialect.
 */
describe('embedded libSQL file mode', () => {
  let dir: string;
  let orm: Orm | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tillgate-libsql-'));
  });
  afterEach(async () => {
    await orm?.close(true);
    orm = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const pragma = async (em: EntityManager, name: string): Promise<unknown> => {
    const [row] = await em.execute<Row[]>(`pragma ${name}`, [], 'all');
    return Object.values(row)[0];
  };

  it('when the ORM opens a libSQL file, then it runs in WAL mode with synchronous FULL and a busy timeout', async () => {
    orm = await openOrm({ dialect: 'libsql', url: join(dir, 'tillgate.db') });
    const em = orm.em.fork();

    expect(await pragma(em, 'journal_mode')).toBe('wal');
    expect(await pragma(em, 'synchronous')).toBe(2);
    expect(await pragma(em, 'busy_timeout')).toBe(LIBSQL_BUSY_TIMEOUT_MS);
  });

  it('when a second pooled connection opens, then it gets the same settings, and WAL stays in the file', async () => {
    const path = join(dir, 'tillgate.db');
    orm = await openOrm({ dialect: 'libsql', url: path }, { poolMax: 2 });
    await orm.em.fork().execute('create table notes (id integer primary key, body text not null)', [], 'run');

    // The transaction holds one connection, so the fork outside it is served by the other.
    const seen = await orm.em.fork().transactional(async (tx) => {
      await (tx as EntityManager).execute(`insert into notes (body) values ('inside')`, [], 'run');
      const other = orm!.em.fork();
      return {
        synchronous: await pragma(other, 'synchronous'),
        busyTimeout: await pragma(other, 'busy_timeout'),
        committedSoFar: (await other.execute<Row[]>('select count(*) as n from notes'))[0].n,
      };
    });
    await orm.close(true);
    orm = undefined;
    const plain = new Database(path);
    const persisted = (plain.prepare('pragma journal_mode').all() as Row[]).map((row) => row.journal_mode);
    const rows = (plain.prepare('select body from notes').all() as Row[]).map((row) => row.body);
    plain.close();

    expect(seen).toEqual({ synchronous: 2, busyTimeout: LIBSQL_BUSY_TIMEOUT_MS, committedSoFar: 0 });
    expect(persisted).toEqual(['wal']);
    expect(rows).toEqual(['inside']);
  });

  it('when the database is in memory (tests), then no file pragmas are applied', async () => {
    orm = await openOrm({ dialect: 'libsql', url: ':memory:' });

    expect(await pragma(orm.em.fork(), 'journal_mode')).toBe('memory');
    expect(await pragma(orm.em.fork(), 'busy_timeout')).toBe(0);
  });
});
