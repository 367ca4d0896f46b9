import { CartStatus } from '../../../entities';
import type { UnitOfWork } from '../../unit-of-work';
import { ABANDONED_CART_RECHECK, abandonedCartsPick, WorkStoreBase } from '../work-store';

export class LibsqlWorkStore extends WorkStoreBase {
  /**
   * One writer, so the statement runs whole under its lock, with no row locks
   * to skip. (libSQL runs a statement that starts with WITH as a read, with
   * no changed-row count: the pick stays a subquery here.)
   */
  deleteAbandonedCarts(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number> {
    const old = uow.sql.time(cutoff);
    return uow.sql.write(`delete from carts where id in (${abandonedCartsPick(limit)}) and ${ABANDONED_CART_RECHECK}`, [CartStatus.OPEN, old, CartStatus.OPEN, old]);
  }
}
