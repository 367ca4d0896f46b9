import { isPostgres, type EntityManager } from '../../db/orm';

/**
 * Set-based statements the background workers share: a batch claim under a
 * lease, and per-row values in one update. Plain SQL over MikroORM's connection,
 * so a batch costs one statement whatever its size. MikroORM inlines the `?`
 * parameters itself, so the SQL here must hold no other question mark.
 */

/** A Date as the dialect stores it: timestamptz on PostgreSQL, epoch milliseconds on libSQL (MikroORM's SQLite convention). */
export function sqlTime(em: EntityManager, date: Date): unknown {
  return em.getPlatform().processDateProperty(date);
}

/** A parameter placeholder for a timestamp inside an expression whose type PostgreSQL cannot infer (a CASE branch). */
export function timePlaceholder(em: EntityManager): string {
  return isPostgres(em) ? 'cast(? as timestamptz)' : '?';
}

export interface LeaseClaim {
  table: string;
  /** The lease: `set` clause pushing the rows' due time forward (plus bookkeeping), with its parameters. */
  lease: string;
  leaseParams: readonly unknown[];
  /** Which rows are due; the same predicate the worker's due check asks. */
  due: string;
  dueParams: readonly unknown[];
  orderBy: string;
  limit: number;
}

/**
 * Claims up to `limit` due rows and leases them in ONE statement, returning
 * the claimed rows as stored after the lease (column names, not properties).
 * On PostgreSQL the rows are picked `for update skip locked`, so concurrent
 * workers in other processes take disjoint rows and never wait for each
 * other; a row another claimer committed meanwhile is re-checked against the
 * predicate and dropped. libSQL has a single writer: the statement runs
 * whole under its write lock. The row order of RETURNING is not defined:
 * callers sort.
 */
export async function claimWithLease(em: EntityManager, claim: LeaseClaim): Promise<Record<string, unknown>[]> {
  if (!Number.isSafeInteger(claim.limit) || claim.limit < 1) throw new Error(`claim limit must be a positive integer (got ${claim.limit})`);
  const pick = `select id from ${claim.table} where ${claim.due} order by ${claim.orderBy} limit ${claim.limit}`;
  if (isPostgres(em)) {
    // The batch is picked once, in a CTE: as an `in (subquery)` the planner may run a locking LIMIT subquery more
    // than once and claim more rows than the limit.
    const sql =
      `with picked as (${pick} for update skip locked) update ${claim.table} set ${claim.lease} from picked` +
      ` where ${claim.table}.id = picked.id returning ${claim.table}.*`;
    return em.execute(sql, [...claim.dueParams, ...claim.leaseParams], 'all');
  }
  // "returning" must stay between spaces: that is how the libSQL dialect knows to read rows back.
  return em.execute(`update ${claim.table} set ${claim.lease} where id in (${pick}) returning *`, [...claim.leaseParams, ...claim.dueParams], 'all');
}

/**
 * `case id when ? then <value> … end` with its parameters: one column of
 * per-row values for a single batched update. `placeholder` wraps each value
 * (e.g. a timestamp cast on PostgreSQL).
 */
export function caseById(entries: readonly (readonly [id: string, value: unknown])[], placeholder = '?'): { sql: string; params: unknown[] } {
  const sql = `case id ${entries.map(() => `when ? then ${placeholder}`).join(' ')} end`;
  return { sql, params: entries.flatMap(([id, value]) => [id, value]) };
}

/** Rows back from a claim, in the order they were due: oldest first, id as tie-break. */
export function byCreatedAtThenId(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
