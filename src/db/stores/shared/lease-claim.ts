import type { Row, Sql } from '../../sql/sql';

/** A batch claim under a lease: which rows are due, in what order, and the `set` clause that leases them. */
export interface LeaseClaim {
  table: string;
  /** The lease: a `set` clause pushing the rows' due time forward (plus bookkeeping), with its parameters. */
  lease: string;
  leaseParams: readonly unknown[];
  /** Which rows are due; the same predicate the worker's due check asks. */
  due: string;
  dueParams: readonly unknown[];
  orderBy: string;
  limit: number;
}

/**
 * Claims up to `limit` due rows and leases them in ONE statement, answering
 * the claimed rows as stored after the lease (column names). The order of the
 * answer is not defined: callers sort (`byCreatedAtThenId`).
 */
export type ClaimWithLease = (sql: Sql, claim: LeaseClaim) => Promise<Row[]>;

/** The claim's pick of due rows, its limit checked (it is written into the text). */
export function pickDue(claim: LeaseClaim): string {
  if (!Number.isSafeInteger(claim.limit) || claim.limit < 1) throw new Error(`claim limit must be a positive integer (got ${claim.limit})`);
  return `select id from ${claim.table} where ${claim.due} order by ${claim.orderBy} limit ${claim.limit}`;
}

/** Rows back from a claim, in the order they were due: oldest first, id as tie-break. */
export function byCreatedAtThenId(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
