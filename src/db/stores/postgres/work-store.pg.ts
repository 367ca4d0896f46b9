import { CartStatus } from '../../../entities';
import type { UnitOfWork } from '../../unit-of-work';
import { ABANDONED_CART_RECHECK, abandonedCartsPick, WorkStoreBase } from '../work-store';

export class PgWorkStore extends WorkStoreBase {
  /**
   * The batch is picked once, in a materialized CTE, SKIP LOCKED: as a plain
   * `in (subquery)` the planner may run the pick again for each row, skipping
   * the rows this very statement has locked, and delete far more than one
   * batch. PostgreSQL re-reads a row updated meanwhile before the recheck.
   */
  deleteAbandonedCarts(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number> {
    const old = uow.sql.time(cutoff);
    return uow.sql.write(
      `with batch as materialized (${abandonedCartsPick(limit)} for update skip locked) delete from carts where id in (select id from batch) and ${ABANDONED_CART_RECHECK}`,
      [CartStatus.OPEN, old, CartStatus.OPEN, old],
    );
  }
}
