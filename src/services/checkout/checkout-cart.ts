import type { CartSnapshot } from '../cart/cart-snapshot';

export interface OwnReservation {
  id: string;
  variantId: string;
  quantity: number;
  expiresAt: Date;
}

/**
 * Everything confirmCheckout reads, in the one statement that reads the cart
 * (CheckoutStore.readCart): the cart snapshot (lines with catalog facts,
 * shipping method, tax rate, vouchers) plus the idempotency record of this
 * key, the cart's own ACTIVE reservations (startCheckout's), the buyer's live
 * voucher slots and how many stock rows the cart's variants have.
 */
export interface CheckoutCart {
  snapshot: CartSnapshot;
  earlier: { status: string; resultId: string | null } | null;
  ownReservations: OwnReservation[];
  /** Slots 1..n this buyer holds live (HELD or CONSUMED) per voucher id of the cart. */
  liveSlots: Map<string, Set<number>>;
  /** Stock rows of the cart's variants: one per variant means a single warehouse each. */
  stockRows: number;
}
