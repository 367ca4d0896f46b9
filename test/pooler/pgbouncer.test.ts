import { Client } from 'pg';
import { Database } from '../../src/db/database';
import { openOrm, type EntityManager, type Orm } from '../../src/db/orm';
import { behindPooler, openTestOrm, testDatabaseConfig } from '../support/test-database';

/**
 * The `pgbouncer` project's ground: its suites pass only if the pooler really
 * shares server connections between transactions. These say it does, and
 * that a statement prepared by name breaks there, which is why the project
 * runs with DATABASE_PREPARED_STATEMENTS=off (README, "Behind a connection pooler").
 */
describe('the PgBouncer the pgbouncer project runs behind', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openTestOrm();
  });
  afterAll(() => orm.close(true));

  async function adminConsole<T>(sql: string): Promise<T[]> {
    const client = new Client({ connectionString: (await testDatabaseConfig()).url.replace(/\/[^/]+$/, '/pgbouncer') });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('when the tests run, then the app connects through PgBouncer in transaction mode with prepared statements off', async () => {
    expect(behindPooler()).toBe(true);
    expect((await testDatabaseConfig()).preparedStatements).toBe(false);
    const settings = new Map((await adminConsole<{ key: string; value: string }>('show config')).map((row) => [row.key, row.value]));
    expect(settings.get('pool_mode')).toBe('transaction');
    expect(Number(settings.get('default_pool_size'))).toBeLessThanOrEqual(5);
  });

  it("when 16 transactions run at once on the app's pool, then the server sees at most the pooler's few connections", async () => {
    const backends = await Promise.all(
      Array.from({ length: 16 }, () =>
        orm.em.fork().transactional(async (tx) => {
          const [row] = await (tx as EntityManager).execute<{ pid: number }[]>('select pg_backend_pid() as pid, pg_sleep(0.05)');
          return row.pid;
        }),
      ),
    );
    expect(new Set(backends).size).toBeLessThanOrEqual(5);
  });

  it('when a statement prepared by name on one server connection runs again after another client took that connection, then PostgreSQL does not know it (26000); unnamed, it runs', async () => {
    const db = await testDatabaseConfig();
    const sql = 'select count(*)::int as n from pg_class where relkind = ?';
    const run = async (preparedStatements: boolean) => {
      // One client connection to the pooler, so the driver believes the name is prepared on "its" connection.
      const single = await openOrm({ ...db, preparedStatements }, { poolMax: 1 });
      const database = new Database(single);
      const other = new Client({ connectionString: db.url });
      await other.connect();
      try {
        await database.sql(single.em.fork()).rows(sql, ['r']);
        // The pooler hands out its most recently used server connection first: the one that just prepared it.
        await other.query('begin');
        await other.query('select 1');
        return await database.sql(single.em.fork()).rows<{ n: number }>(sql, ['r']);
      } finally {
        await other.query('rollback').catch(() => undefined);
        await other.end();
        await single.close(true);
      }
    };

    await expect(run(true)).rejects.toMatchObject({ code: '26000' });
    expect((await run(false))[0].n).toBeGreaterThan(0);
  });
});
