import type { CheckoutCart } from '../../services/checkout/checkout-cart';
import type { UnitOfWork } from '../unit-of-work';

/** The checkout's idempotency record a read looks for: its scope and key (cart id and version key). */
export interface IdempotencyKey {
  scope: string;
  key: string;
}

/**
 * What confirmCheckout reads before the saga's other steps write: the cart
 * with everything the steps need, in one statement, and the cart's owner for
 * the admission check.
 */
export interface CheckoutStore {
  /**
   * The cart snapshot with this key's idempotency record, the cart's own
   * ACTIVE reservations, the buyer's live voucher slots and the stock rows of
   * its variants, in ONE statement (CheckoutCart). With `lock`, the cart's row
   * is held until the transaction ends, taken in that same statement without
   * waiting: 'busy' when another transaction holds it (PostgreSQL, whose
   * statement then failed: the transaction must end). libSQL serializes its
   * writers, so there is nothing to take there. Null: no such cart.
   */
  readCart(uow: UnitOfWork, cartId: string, idempotency: IdempotencyKey, options: { lock: boolean }): Promise<CheckoutCart | 'busy' | null>;

  /** Whether the cart exists and has no customer (a guest's). One primary-key read. */
  isGuestCart(uow: UnitOfWork, cartId: string): Promise<boolean>;
}
