import { writeLock, type EntityManager } from '../../db/orm';
import { Order, OrderStatus, Payment, Refund, RefundStatus } from '../../entities';
import { appendLedgerEntry } from '../credit/credit-ledger';
import { recordEvent } from '../outbox/outbox';
import { revokeOrderLicenses, revokeRefundedUnits } from '../licenses/revoke-licenses';
import { endAccessForRefundedOrder } from '../subscriptions/end-access';
import { queueReversals, refundShareOf } from '../payouts/reversal-queue';
import { transition } from '../state/transition';
import { refundableBalance } from '../orders/order-balance';
import { refundCreditEntryKey } from './refund-policy';

export type RefundVerdict =
  { status: RefundStatus.SUCCEEDED; providerRefundId: string | null } | { status: RefundStatus.FAILED; providerRefundId: string | null; reason: string };

/**
 * Settles a PENDING refund in the caller's transaction, with the order row
 * locked so concurrent settlements of one order's refunds add up:
 * - SUCCEEDED: its store-credit part is granted (entryKey `refund:<id>`),
 *   `order.refunded` becomes the sum of SUCCEEDED refunds, the order moves to
 *   PARTIALLY_REFUNDED or REFUNDED through the transition table, licenses
 *   REVOKED (every one on a full refund, the named units newest first on a
 *   line refund, none on an order-level partial one), the seller transfers
 *   queued for reversal, outbox `refund.succeeded`;
 * - FAILED: its amount is free again (it no longer counts), nothing is revoked, outbox `refund.failed`.
 * Returns false, writing nothing, when the refund was already settled (a
 * webhook and the API answer racing, or a redelivery).
 */
export async function settleRefund(tx: EntityManager, refundId: string, verdict: RefundVerdict, now: Date): Promise<boolean> {
  const refund = await tx.findOne(Refund, { id: refundId }, { refresh: true });
  if (!refund || refund.status !== RefundStatus.PENDING) return false;
  const order = await tx.findOneOrFail(Order, { id: refund.orderId }, { ...writeLock(tx), refresh: true });
  const providerRefundId = verdict.providerRefundId ?? refund.providerRefundId;
  const moved = await transition(tx, Refund, refund.id, RefundStatus.PENDING, verdict.status, { providerRefundId, settledAt: now });
  if (moved === 0) return false;

  if (verdict.status === RefundStatus.FAILED) {
    recordEvent(tx, { type: 'refund.failed', aggregateId: order.id, payload: { orderId: order.id, refundId, amount: refund.amount, reason: verdict.reason } });
    return true;
  }

  const creditAmount = refund.amount - refund.providerAmount;
  if (creditAmount > 0) {
    // Phase 1 refuses a credit part for an order without a customer, so this is a bug if it happens.
    if (!order.customerId) throw new Error(`refund ${refundId} has a store-credit part but order ${order.id} has no customer`);
    await appendLedgerEntry(tx, {
      customerId: order.customerId,
      currency: refund.currency,
      amount: creditAmount,
      reason: `refund:${order.id}`,
      entryKey: refundCreditEntryKey(refundId),
      orderId: order.id,
      now,
    });
  }

  const payments = await tx.find(Payment, { orderId: order.id }, { refresh: true });
  const { captured } = refundableBalance(order.creditApplied, payments, []);
  const refunded = order.refunded + refund.amount;
  if (order.status === OrderStatus.PLACED || order.status === OrderStatus.PARTIALLY_REFUNDED) {
    const next = refunded >= captured ? OrderStatus.REFUNDED : OrderStatus.PARTIALLY_REFUNDED;
    await transition(tx, Order, order.id, order.status, next, { refunded });
  } else {
    // A payment refunded for an order that is no longer live (cancelled as stale): count it, keep the status.
    await tx.nativeUpdate(Order, { id: order.id }, { refunded });
  }
  // Licenses go when the money does (refund-policy.ts rule 6): all on a full refund, the named units on a line refund.
  if (refunded >= captured) await revokeOrderLicenses(tx, order, { refundId }, now);
  // A plan's access goes with the money too: a full refund of the period now running ends it.
  if (refunded >= captured && order.subscriptionId) await endAccessForRefundedOrder(tx, order.subscriptionId, order.id, now);
  else if (refund.lines) await revokeRefundedUnits(tx, order, refund.lines, refundId, now);
  await queueReversals(tx, order.id, await refundShareOf(tx, order.id, { refundId, refunded, captured }), now);
  recordEvent(tx, {
    type: 'refund.succeeded',
    aggregateId: order.id,
    payload: { orderId: order.id, refundId, amount: refund.amount, providerAmount: refund.providerAmount, creditAmount, providerRefundId },
  });
  return true;
}
