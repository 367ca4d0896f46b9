import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import type { SqlEntityManager as EntityManager } from '@mikro-orm/knex';
import { isPostgres } from './dialect';
import { preparedStatementsAllowed } from './sql/prepared-statements';

/**
 * PostgreSQL plans every statement it is sent as text. For the storefront's
 * busiest statements, the cart snapshot (seven times a checkout), the catalog
 * page and the checkout's stock and voucher writes, the plan cost as much as
 * the execution or more: 0.2 to 0.6 ms of the server's CPU each. Sent as a
 * named prepared statement, one is planned once per connection and reused; the
 * bench measured PostgreSQL's CPU per checkout falling from 9.4 to 6.7 ms with
 * the reads alone. libSQL, in process, gets the plain path.
 *
 * The statement goes through MikroORM's own connection, so it joins the
 * caller's transaction, is logged and counted like any other statement, and
 * its errors are converted to MikroORM's exceptions the same way.
 */

export { setPreparedStatements } from './sql/prepared-statements';

/** Texts planned so far: bounded by the code's statement shapes (an `in` list is one shape per length). */
const MAX_STATEMENTS = 500;
const statements = new Map<string, { name: string; text: string }>();

/**
 * The `?` placeholders numbered as PostgreSQL wants them, an array parameter
 * written out as a list (`in (?)` with three ids is `in ($1, $2, $3)`, as
 * MikroORM's own formatting expands it), and a name that is the text's digest.
 */
function statementOf(sql: string, params: readonly unknown[]): { name: string; text: string; values: readonly unknown[] } | null {
  // Most statements have no list: their text is their key, and their parameters go as they are.
  const listed = params.some(Array.isArray);
  const lengths = listed ? params.map((param) => (Array.isArray(param) ? param.length : -1)) : [];
  const key = listed ? `${sql}\u0000${lengths.join(',')}` : sql;
  const values = listed ? params.flatMap((param) => (Array.isArray(param) ? param : [param])) : params;
  let statement = statements.get(key);
  if (!statement) {
    if (statements.size >= MAX_STATEMENTS) return null;
    let position = 0;
    let index = 0;
    const text = sql.replace(/\?/g, () => {
      const length = lengths[index++] ?? -1;
      if (length < 0) return `$${++position}`;
      return Array.from({ length }, () => `$${++position}`).join(', ');
    });
    statement = { name: `tg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
    statements.set(key, statement);
  }
  return { ...statement, values };
}

interface MikroConnection {
  getKnex(): Knex;
  /** MikroORM's timing and query log (protected in its typings; the same call its own execute makes). */
  executeQuery<T>(query: string, run: () => Promise<T>, context?: object): Promise<T>;
}

/**
 * Rows of one statement in the caller's transaction (the em's context),
 * prepared on PostgreSQL. A parameter's type comes from where it stands: one
 * the statement cannot type by itself (a `then ?` of a CASE, a VALUES list in
 * a CTE) needs a cast (`?::int`), which the plain path would not have needed.
 */
export async function preparedRows<T extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const result = await runPrepared<T>(em, sql, params);
  return result ? result.rows : em.execute<T[]>(sql, [...params], 'all');
}

/** How many rows one write changed, prepared on PostgreSQL (see preparedRows). */
export async function preparedWrite(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  const result = await runPrepared(em, sql, params);
  if (result) return result.rowCount ?? 0;
  return affectedRowsOf(await em.execute(sql, [...params], 'run'));
}

/** Changed-row count of a write run through `em.execute(…, 'run')`, whichever driver answered. */
export function affectedRowsOf(result: unknown): number {
  if (typeof result === 'number') return result;
  const counts = result as { affectedRows?: number; rowCount?: number; rowsAffected?: number; changes?: number };
  return counts.affectedRows ?? counts.rowsAffected ?? counts.rowCount ?? counts.changes ?? 0;
}

/** The statement run prepared, or null when it must take the plain path (libSQL, switched off, too many shapes). */
async function runPrepared<T extends object>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<{ rows: T[]; rowCount: number | null } | null> {
  const statement = isPostgres(em) && preparedStatementsAllowed(em.config) ? statementOf(sql, params) : null;
  if (!statement) return null;
  const connection = em.getConnection() as unknown as MikroConnection;
  const query = connection
    .getKnex()
    .raw(statement.text)
    .options({ name: statement.name, values: [...statement.values] });
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) query.transacting(transaction);
  try {
    return await connection.executeQuery(sql, async () => (await query) as unknown as { rows: T[]; rowCount: number | null }, { query: sql, params });
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
