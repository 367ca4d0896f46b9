import { Client } from 'pg';
import type { DatabaseConfig } from '../../src/config';
import { isPostgres, migrate, openOrm, type Orm, type OrmOptions } from '../../src/db/orm';
import { RATE_LIMIT_TABLE } from '../../src/db/stores/rate-limit-store';

export type TestDialect = 'libsql' | 'postgresql';

/** The dialect of the Jest project running this file (set by dialect-*.ts setup files). */
export function testDialect(): TestDialect {
  return process.env.TEST_DIALECT === 'postgresql' ? 'postgresql' : 'libsql';
}

/**
 * The `pgbouncer` project (dialect-pgbouncer.ts): PostgreSQL, with the app's
 * connections going through PgBouncer in transaction mode and
 * DATABASE_PREPARED_STATEMENTS off, as a deployment behind a pooler runs.
 */
export function behindPooler(): boolean {
  return process.env.TEST_POOLER === 'pgbouncer';
}

/** The pooler's URL for a database of the test cluster. */
function poolerUrlFor(database: string): string {
  const url = process.env.TILLGATE_TEST_PGBOUNCER_URL;
  if (!url) throw new Error('No PgBouncer for the pgbouncer project: install it (apt-get install -y pgbouncer); test/support/global-setup.ts starts it');
  return url.replace(/\/postgres$/, `/${database}`);
}

const workerDatabase = () => `tillgate_w${process.env.JEST_WORKER_ID ?? '0'}`;

/** One statement on the test cluster's `postgres` database (create and drop databases). */
export async function adminQuery(sql: string): Promise<{ rows: Record<string, unknown>[] }> {
  const url = process.env.TILLGATE_TEST_PG_URL;
  if (!url) throw new Error('TILLGATE_TEST_PG_URL missing: test/support/global-setup.ts did not run');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates and migrates this worker's database, once per worker; answers its
 * direct URL. Migrations always go direct: the migration lock is a session
 * advisory lock, which a transaction pooler would hand to someone else.
 */
async function ensureWorkerDatabase(): Promise<string> {
  const name = workerDatabase();
  const url = process.env.TILLGATE_TEST_PG_URL!.replace(/\/postgres$/, `/${name}`);
  const found = await adminQuery(`select 1 from pg_database where datname = '${name}'`);
  if (found.rows.length === 0) {
    await adminQuery(`create database ${name}`);
    const orm = await openOrm({ dialect: 'postgresql', url });
    await migrate(orm);
    await orm.close(true);
  }
  return url;
}

/** This worker's PostgreSQL database, reached directly (not through the pooler, in the `pgbouncer` project). */
export function directTestDatabaseUrl(): Promise<string> {
  return ensureWorkerDatabase();
}

export async function testDatabaseConfig(dialect: TestDialect = testDialect()): Promise<DatabaseConfig> {
  if (dialect === 'postgresql') {
    const direct = await ensureWorkerDatabase();
    return behindPooler() ? { dialect, url: poolerUrlFor(workerDatabase()), preparedStatements: false } : { dialect, url: direct };
  }
  return { dialect, url: ':memory:' };
}

/** An ORM on a migrated, empty database of the given dialect. */
export async function openTestOrm(options: OrmOptions & { dialect?: TestDialect } = {}): Promise<Orm> {
  const db = await testDatabaseConfig(options.dialect);
  // An in-memory libSQL database lives as long as its one connection: keep it.
  const orm = await openOrm(db, { ...options, poolMax: db.dialect === 'libsql' ? 1 : (options.poolMax ?? 40) });
  if (db.dialect === 'libsql') await migrate(orm);
  await truncateAll(orm);
  return orm;
}

/** Empties every table (schema stays), so each test starts from nothing. */
export async function truncateAll(orm: Orm): Promise<void> {
  const em = orm.em.fork();
  const tables = Object.values(orm.getMetadata().getAll())
    .filter((meta) => !meta.embeddable && !meta.virtual && meta.tableName)
    .map((meta) => meta.tableName);
  const connection = em.getConnection();
  if (isPostgres(em)) {
    // The rate limits' windows live in a table of their own, outside the entities.
    const all = [...tables, RATE_LIMIT_TABLE];
    await connection.execute(`truncate table ${all.map((t) => `"${t}"`).join(', ')} restart identity cascade`);
    return;
  }
  await connection.execute('pragma foreign_keys = off');
  for (const table of tables) await connection.execute(`delete from \`${table}\``);
  await connection.execute('pragma foreign_keys = on');
}
