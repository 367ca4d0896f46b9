import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOrm, type Orm } from '../../../src/db/orm';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * Issue 9: the embedded database file (tillgate.db in DATA_DIR) holds password
 * hashes and access keys, so only its owner may read it, whatever the umask.
 * The file is opened here whatever the Jest project's dialect.
 */
describe('embedded libSQL file permissions', () => {
  let dir: string;
  let orm: Orm | undefined;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tillgate-perm-'));
    // The permissive umask many hosts have: without care, a new file would be world-readable.
    umask = process.umask(0o022);
  });
  afterEach(async () => {
    await orm?.close(true);
    orm = undefined;
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the ORM creates tillgate.db, then the file and its write-ahead log are 0600', async () => {
    const path = join(dir, 'tillgate.db');
    orm = await openOrm({ dialect: 'libsql', url: path });
    await orm.em.fork().execute('create table notes (id integer primary key, body text not null)', [], 'run');
    await orm.em.fork().execute(`insert into notes (body) values ('written')`, [], 'run');

    expect(modeOf(path)).toBe(0o600);
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
  });

  it('when an older install left the file readable by others, then opening it takes their access away', async () => {
    const path = join(dir, 'tillgate.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);

    orm = await openOrm({ dialect: 'libsql', url: path });

    expect(modeOf(path)).toBe(0o600);
  });
});
