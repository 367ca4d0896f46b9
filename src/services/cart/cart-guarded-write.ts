import { isPostgres, type EntityManager } from '../../db/orm';
import { CartStatus } from '../../entities';
import { preparedRows, preparedWrite } from '../../db/prepared-statements';
import { intOf, runWrite } from '../shared/sql-rows';
import { columnAssignments, lineWriteSql, runLineWrite, type LineWrite } from './cart-writes';

/** What an optimistic cart change decided to write (cart-change.ts). */
export interface RecordedWrites {
  lines: LineWrite[];
  columns: Record<string, unknown>;
}

export interface GuardedClaim {
  cartId: string;
  /** The version the change read: the claim applies only if the cart still has it. */
  version: number;
  now: Date;
  claimSets: { sql: string; params: unknown[] }[];
}

/**
 * Writes an optimistic cart change. A change of cart columns only is one
 * guarded update on either dialect. With line writes, on PostgreSQL it is one
 * statement:
 *
 *   with claim as (update carts set version = version + 1, … where id = ? and version = ? … returning id),
 *        w0 as (insert into cart_lines … select … from claim),
 *        w1 as (update cart_lines … where id = ? and exists (select 1 from claim))
 *   select count(*) as claimed from claim
 *
 * One statement is atomic on its own, so no transaction is needed. The claim
 * takes the row lock; a concurrent claim waits for it, then re-checks the
 * version on the row as committed and finds it moved: it claims nothing, and
 * its guarded line writes see an empty `claim` and write nothing either.
 * libSQL has no data-modifying CTEs: there the claim and the line writes
 * share a short transaction instead. Returns whether the claim (and so every
 * write) applied.
 */
export async function writeClaimed(em: EntityManager, claim: GuardedClaim, writes: RecordedWrites): Promise<boolean> {
  const columns = columnAssignments(writes.columns);
  const sets = ['version = version + 1', 'updated_at = ?', ...claim.claimSets.map((set) => set.sql), ...(columns.sql ? [columns.sql] : [])];
  const claimSql = `update carts set ${sets.join(', ')} where id = ? and version = ? and status in (?)`;
  const claimParams = [claim.now, ...claim.claimSets.flatMap((set) => set.params), ...columns.params, claim.cartId, claim.version, CartStatus.OPEN];
  if (writes.lines.length === 0) return (await preparedWrite(em, claimSql, claimParams)) === 1;
  if (!isPostgres(em)) return claimThenWriteLines(em, claimSql, claimParams, writes.lines);

  const lineWrites = writes.lines.map((write) => lineWriteSql(write, 'claim'));
  const sql = `with claim as (${claimSql} returning id), ${lineWrites.map((write, i) => `w${i} as (${write.sql})`).join(', ')} select count(*) as claimed from claim`;
  const [row] = await preparedRows(em, sql, [...claimParams, ...lineWrites.flatMap((write) => write.params)]);
  return intOf(row.claimed) === 1;
}

/** The claim, then the line writes only if it applied, in one transaction (libSQL serializes its writers, so nothing waits long). */
async function claimThenWriteLines(em: EntityManager, claimSql: string, claimParams: unknown[], lines: readonly LineWrite[]): Promise<boolean> {
  return em.transactional(async (tx) => {
    if ((await runWrite(tx as EntityManager, claimSql, claimParams)) !== 1) return false;
    for (const line of lines) await runLineWrite(tx as EntityManager, line);
    return true;
  });
}
