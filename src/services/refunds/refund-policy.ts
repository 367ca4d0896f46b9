/**
 * Refund rules, decided once here:
 *
 * 1. What can be refunded. "Captured" is what the buyer actually paid:
 *    - the card part: `captured` of CAPTURED CARD / HOSTED_CHECKOUT payments;
 *    - the store-credit part: the order's `creditApplied` (debited from the
 *      ledger when the order was created);
 *    - cash on delivery: only once its payment row is CAPTURED (cash
 *      collected). A placed COD order that was not collected is cancelled
 *      (cancelOrder), not refunded.
 *    refundable = captured - (SUCCEEDED + PENDING refunds). A FAILED refund
 *    frees its amount again. An omitted amount means all that is refundable.
 * 2. Where the money goes. Card first, up to what the card captured minus the
 *    card parts of SUCCEEDED + PENDING refunds; the rest becomes store credit
 *    (a ledger grant with entryKey `refund:<refundId>`). So COD and
 *    STORE_CREDIT orders always refund to store credit, never to Stripe, and a
 *    mixed order gives back card money before credit. A refund is one outcome:
 *    its credit part is granted only when its card part succeeded (in the same
 *    transaction that settles it), so a FAILED refund grants nothing.
 * 3. Vouchers. A refund is not a cancellation: it never releases a voucher
 *    redemption, even a full refund of an unfulfilled order (the goods may
 *    already be on their way, and a voucher that came back with every refund
 *    could be farmed with buy-refund loops). Redemptions stay CONSUMED.
 * 4. "Already refunded" from Stripe (`charge_already_refunded`) means the
 *    money is back with the buyer: the refund SUCCEEDS.
 * 5. Idempotency: the client key is unique. The same key with the same order
 *    and amount (or no amount) returns the same refund and calls nothing; a
 *    different order, amount or lines is IDEMPOTENCY_KEY_REUSED.
 * 6. Licenses (digital goods) go when the money does, in the transaction that
 *    settles the refund SUCCEEDED, never when it is requested:
 *    - a refund that leaves the order REFUNDED revokes every license;
 *    - a refund naming `lines` revokes those units' licenses, newest (highest
 *      unit) first; a line's units can be named only once over all refunds
 *      that did not fail, and without an amount such a refund is worth the
 *      units' share of the line (total after discounts, plus tax);
 *    - an order-level partial refund (no lines) revokes none;
 *    - a FAILED refund revokes nothing; revoking twice changes nothing.
 *    cancelOrder revokes all. A line refund also reverses that line's share of
 *    its seller's transfer instead of a pro-rata share of the order.
 */
import type { RefundableBalance } from '../orders/order-balance';

/** Card first, up to what the card can still give back; the rest is store credit. */
export function splitRefund(amount: number, balance: RefundableBalance): { providerAmount: number; creditAmount: number } {
  const providerAmount = Math.max(0, Math.min(amount, balance.cardRefundable));
  return { providerAmount, creditAmount: amount - providerAmount };
}

export const refundCreditEntryKey = (refundId: string): string => `refund:${refundId}`;
