import type { EntityManager } from '../../db/orm';
import { isPostgres } from '../../db/orm';
import { affectedRowsOf } from '../../db/prepared-statements';
import { jsonSqlOf, type JsonSql } from '../../db/sql/json-sql';

/*
 * Raw SQL on the hot paths, run through the ORM's connection. The JSON
 * spellings (src/db/sql/json-sql.ts) and the row readers
 * (src/db/sql/row-values.ts) live in src/db now; these names stay for the
 * callers that have not moved to a store yet.
 */

export type CartDialect = JsonSql;

export const cartDialect = (em: EntityManager): JsonSql => jsonSqlOf(isPostgres(em) ? 'postgresql' : 'libsql');

export { dateOf, dateOrNull, intOf, intOrNull, jsonOf, stringOrNull } from '../../db/sql/row-values';

/** One statement in the caller's transaction (the em's context); rows as the driver returns them. */
export async function queryRows(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  return em.execute(sql, [...params], 'all');
}

/** Changed-row count of a write run through `em.execute`, whichever driver answered. */
export async function runWrite(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  return affectedRowsOf(await em.execute(sql, [...params], 'run'));
}
