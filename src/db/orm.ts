import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM, ReflectMetadataProvider, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DatabaseConfig } from '../config';
import { allEntities } from '../entities';
import { libsqlMigrations } from './migrations/libsql';
import { postgresqlMigrations } from './migrations/postgresql';
import { setPreparedStatements } from './sql/prepared-statements';
import { RATE_LIMIT_TABLE } from './stores/rate-limit-store';

export type EntityManager = SqlEntityManager;
export type Orm = MikroORM<AbstractSqlDriver, SqlEntityManager>;

export interface OrmOptions {
  /** Called with every SQL statement; tests and the benchmark count them. */
  onQuery?: (sql: string) => void;
  poolMax?: number;
}

/** The rate limits' table has no entity: the schema diff (migrations:create, the migrations test) must not offer to drop it. */
export { RATE_LIMIT_TABLE };

/** How long a libSQL connection waits for another writer's lock before SQLITE_BUSY. */
export const LIBSQL_BUSY_TIMEOUT_MS = 5_000;

/** A libSQL database that lives in a local file: not the in-memory one of the tests, not a remote server. */
export function isLibSqlFile(db: DatabaseConfig): boolean {
  return db.dialect === 'libsql' && db.url !== ':memory:' && !/^(libsql|https?|wss?):/i.test(db.url);
}

/**
 * Run on every new connection to the embedded libSQL file (the pool replaces
 * them, so once at start would not do). WAL: a commit appends to the
 * write-ahead log instead of creating, syncing and deleting a rollback journal
 * inside the driver's synchronous call, which would block the event loop; and
 * readers do not wait for the writer. synchronous=FULL keeps every commit
 * durable: the log is fsynced before the commit returns, so a committed order
 * survives power loss (NORMAL would sync only at checkpoints and could lose the
 * last commits). The busy timeout comes first so that switching the journal
 * mode, and any write, waits for another connection or process instead of
 * failing at once. journal_mode=WAL is stored in the file; the other two are
 * per connection.
 */
function applyFilePragmas(connection: { exec(sql: string): unknown }, done: (error: Error | null) => void): void {
  try {
    connection.exec(`pragma busy_timeout = ${LIBSQL_BUSY_TIMEOUT_MS}`);
    connection.exec('pragma journal_mode = wal');
    connection.exec('pragma synchronous = full');
    done(null);
  } catch (error) {
    done(error as Error);
  }
}

/**
 * One entity set, two dialects. Migrations are listed explicitly (not globbed)
 * so the same code finds them under ts (tests) and compiled js (production).
 */
export function buildOrmOptions(db: DatabaseConfig, options: OrmOptions = {}): Options {
  const isPostgres = db.dialect === 'postgresql';
  const onQuery = options.onQuery;
  return {
    driver: (isPostgres ? PostgreSqlDriver : LibSqlDriver) as Options['driver'],
    ...(isPostgres ? { clientUrl: db.url } : { dbName: db.url }),
    entities: allEntities,
    metadataProvider: ReflectMetadataProvider,
    discovery: { warnWhenNoEntities: true },
    extensions: [Migrator],
    schemaGenerator: { skipTables: [RATE_LIMIT_TABLE] },
    migrations: {
      migrationsList: isPostgres ? postgresqlMigrations : libsqlMigrations,
      path: `src/db/migrations/${db.dialect}`,
      pathTs: `src/db/migrations/${db.dialect}`,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    pool: { min: 0, max: options.poolMax ?? (isPostgres ? 10 : 1), ...(isLibSqlFile(db) ? { afterCreate: applyFilePragmas } : {}) },
    // Each request and job works on its own fork; the global context is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: onQuery ? ['query'] : false,
    logger: onQuery ? (message: string) => onQuery(message) : () => undefined,
    colors: false,
  };
}

/** Owner read and write only. */
export const LIBSQL_FILE_MODE = 0o600;

/**
 * The embedded database holds password hashes, client secrets and guest cart
 * ids, so its file is the owner's alone. libSQL would create it with
 * the process umask (often world-readable 0644), so it is created here first,
 * empty, with 0600; SQLite gives the -wal and -shm files it makes later the
 * database file's own permissions. A file left by an older version loses its
 * group and other bits the same way.
 */
export function ensurePrivateLibSqlFile(db: DatabaseConfig): void {
  // A file: URL is left to libSQL: it is not a plain path to create.
  if (!isLibSqlFile(db) || db.url.startsWith('file:')) return;
  // `npm run migrate` and `npm run worker` may be the first to touch a fresh DATA_DIR.
  mkdirSync(dirname(db.url), { recursive: true });
  closeSync(openSync(db.url, 'a', LIBSQL_FILE_MODE));
  const mode = statSync(db.url).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(db.url, mode & 0o700);
}

export async function openOrm(db: DatabaseConfig, options: OrmOptions = {}): Promise<Orm> {
  ensurePrivateLibSqlFile(db);
  const orm = (await MikroORM.init(buildOrmOptions(db, options))) as Orm;
  setPreparedStatements(orm.config, db.preparedStatements ?? true);
  return orm;
}

/** The PostgreSQL advisory lock key `npm run migrate` holds: any number, fixed, ours alone ("tillgate" in ASCII, truncated). */
export const MIGRATION_LOCK_KEY = 7_461_696_364_617_465;

/**
 * Applies the pending migrations; answers their names. On PostgreSQL it first
 * takes a session advisory lock on a connection of its own and holds it until
 * done, so N processes started together migrate once: the others wait, then
 * find nothing pending. (libSQL is one embedded file, one process.)
 */
export async function migrate(orm: Orm): Promise<string[]> {
  if (orm.config.get('driver') !== PostgreSqlDriver) return (await orm.getMigrator().up()).map((m) => m.name);
  const knex = orm.em.getConnection().getKnex();
  const connection = (await knex.client.acquireConnection()) as { query(sql: string, params: unknown[]): Promise<unknown> };
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return (await orm.getMigrator().up()).map((m) => m.name);
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

export { isPostgres, writeLock } from './dialect';
