import { TableNotFoundException } from '@mikro-orm/core';
import type { Orm } from './orm';

const DEFAULT_MIGRATIONS_TABLE = 'mikro_orm_migrations';

/** A process that does not migrate (MIGRATE_ON_START=off) found migrations of its code not applied. */
export class SchemaNotMigratedError extends Error {
  override name = 'SchemaNotMigratedError';

  constructor(
    readonly pending: readonly string[],
    known: number,
  ) {
    super(`the database schema is not migrated: run \`npm run migrate\`, or set MIGRATE_ON_START=on (${pending.length} of ${known} migrations pending)`);
  }
}

/**
 * The migrations this build knows that the database has not applied, read
 * with one select from the migrations table. MikroORM's own
 * getPendingMigrations would first create that table: DDL that a serving role
 * may not be allowed, and a write a read-only check should not make. A
 * missing table means nothing is applied. Names the database has and this
 * build lacks (a newer release migrated first) are not pending.
 */
export async function pendingMigrations(orm: Orm): Promise<string[]> {
  const known = (orm.config.get('migrations').migrationsList ?? []).map((migration) => migration.name);
  const table = orm.config.get('migrations').tableName ?? DEFAULT_MIGRATIONS_TABLE;
  let applied: Set<string>;
  try {
    const rows = await orm.em.fork().getConnection().execute<{ name: string }[]>(`select name from ${table}`);
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    // A raw statement's error comes as the driver threw it; the ORM's converter names it for both dialects.
    if (!(orm.em.getDriver().convertException(error as Error) instanceof TableNotFoundException)) throw error;
    applied = new Set();
  }
  return known.filter((name) => !applied.has(name));
}

/** Once at start of a process that does not migrate: refuses to run on a schema its code would fail against mid-request. */
export async function requireMigratedSchema(orm: Orm): Promise<void> {
  const pending = await pendingMigrations(orm);
  if (pending.length > 0) throw new SchemaNotMigratedError(pending, orm.config.get('migrations').migrationsList?.length ?? pending.length);
}
