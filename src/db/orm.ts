import { MikroORM, ReflectMetadataProvider, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DatabaseConfig } from '../config';
import { allEntities } from '../entities';
import { libsqlMigrations } from './migrations/libsql';
import { postgresqlMigrations } from './migrations/postgresql';

export type EntityManager = SqlEntityManager;
export type Orm = MikroORM<AbstractSqlDriver, SqlEntityManager>;

export interface OrmOptions {
  /** Called with every SQL statement; tests and the benchmark count them. */
  onQuery?: (sql: string) => void;
  poolMax?: number;
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
    migrations: {
      migrationsList: isPostgres ? postgresqlMigrations : libsqlMigrations,
      path: `src/db/migrations/${db.dialect}`,
      pathTs: `src/db/migrations/${db.dialect}`,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    pool: { min: 0, max: options.poolMax ?? (isPostgres ? 10 : 1) },
    // Each request and job works on its own fork; the global context is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: onQuery ? ['query'] : false,
    logger: onQuery ? (message: string) => onQuery(message) : () => undefined,
    colors: false,
  };
}

export async function openOrm(db: DatabaseConfig, options: OrmOptions = {}): Promise<Orm> {
  return MikroORM.init(buildOrmOptions(db, options)) as Promise<Orm>;
}

export async function migrate(orm: Orm): Promise<void> {
  await orm.getMigrator().up();
}

export function isPostgres(em: EntityManager): boolean {
  return em.getPlatform().constructor.name.startsWith('PostgreSql');
}
