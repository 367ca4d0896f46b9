import type { Order, Payment } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';

/**
 * Orders and their payments, where a statement differs by dialect: the row
 * locks that serialize the writers of one order (a refund, a cancellation, a
 * payment settling). Locks last until the caller's transaction ends.
 */
export interface OrderStore {
  /** The order with its row locked (a plain read on libSQL, whose writers are serialized); null: no such order. */
  lock(uow: UnitOfWork, orderId: string): Promise<Order | null>;

  /** The order's payment rows, locked as `lock` locks (none: an empty list). */
  lockPayments(uow: UnitOfWork, orderId: string): Promise<Payment[]>;
}
