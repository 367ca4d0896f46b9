import { postgresJson } from '../../sql/json-sql';
import { intOf } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import type { LineWrite } from '../cart-store';
import { abandonedCarts, CartStoreBase, lineWriteStatement, type Statement } from '../shared/cart-store.base';

/** The cart store on PostgreSQL: row locks, and data-modifying common table expressions. */
export class PgCartStore extends CartStoreBase {
  constructor() {
    super(postgresJson);
  }

  async lock(uow: UnitOfWork, cartId: string): Promise<boolean> {
    return (await uow.sql.rows('select id from carts where id = ? for update', [cartId])).length === 1;
  }

  /**
   * One statement, atomic on its own, so no transaction is needed:
   *
   *   with claim as (update carts set version = version + 1, … where id = ? and version = ? … returning id),
   *        w0 as (insert into cart_lines … select … from claim),
   *        w1 as (update cart_lines … where id = ? and exists (select 1 from claim))
   *   select count(*) as claimed from claim
   *
   * The claim takes the row lock; a concurrent claim waits for it, then
   * re-checks the version on the row as committed and finds it moved: it
   * claims nothing, and its guarded line writes see an empty `claim` and write
   * nothing either.
   */
  protected async claimWithLines(uow: UnitOfWork, claim: Statement, lines: readonly LineWrite[]): Promise<boolean> {
    const writes = lines.map((line) => lineWriteStatement(line, 'claim'));
    const sql = `with claim as (${claim.sql} returning id), ${writes.map((write, i) => `w${i} as (${write.sql})`).join(', ')} select count(*) as claimed from claim`;
    const [row] = await uow.sql.rows(sql, [...claim.params, ...writes.flatMap((write) => write.params)]);
    return intOf(row.claimed) === 1;
  }

  /**
   * The batch is picked once, in a materialized CTE: as a plain `in
   * (subquery)` with SKIP LOCKED the planner may run the pick again for each
   * row, skipping the rows this very statement has locked, and delete far
   * more than one batch. The outer condition is checked again on each row the
   * delete locks (PostgreSQL re-reads a row updated meanwhile), so a cart a
   * change claimed since the pick is young again and stays; SKIP LOCKED leaves
   * carts another transaction holds to a later round.
   */
  deleteAbandoned(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number> {
    const { pick, recheck, params } = abandonedCarts(limit);
    return uow.sql.write(
      `with batch as materialized (${pick} for update skip locked) delete from carts where id in (select id from batch) and ${recheck}`,
      params(uow.sql.time(cutoff)),
    );
  }
}
