import type { EntityManager } from '../../db/orm';
import { Order, OrderLine, Payment, Refund, RefundStatus, SellerTransfer, TransferStatus } from '../../entities';
import { refundableBalance } from '../orders/order-balance';
import { transition } from '../state/transition';
import { lineAwareReversalTarget, reversalTarget, type SellerLineRefunds } from './payout-math';

export interface RefundShare {
  /** The refund that (last) asked for reversals: part of the reversal's idempotency key. */
  refundId: string;
  /** SUCCEEDED refunds of the order so far. */
  refunded: number;
  /** What the buyer paid in total. */
  captured: number;
  /** Present when some SUCCEEDED refund named lines: what the order-level ones gave back, and each seller's refunded units. */
  byLines?: { orderLevelRefunded: number; sellers: Map<string, SellerLineRefunds> };
}

function targetOf(transfer: SellerTransfer, share: RefundShare): number {
  if (!share.byLines) return reversalTarget(transfer.amount, share.refunded, share.captured);
  const totals = { refunded: share.refunded, captured: share.captured, orderLevelRefunded: share.byLines.orderLevelRefunded };
  return lineAwareReversalTarget(transfer.amount, totals, share.byLines.sellers.get(transfer.sellerId));
}

/**
 * Marks the order's COMPLETED transfers REVERSAL_PENDING for the refunded share
 * not yet reversed, in the caller's transaction (the refund's settlement, or a
 * payout worker catching up). Only the database changes here: the reversal
 * worker calls Stripe later, so the buyer's refund never waits for the seller
 * side. A transfer already REVERSAL_PENDING keeps its amount and key; the
 * worker queues the rest when that reversal is done.
 */
export async function queueReversals(tx: EntityManager, orderId: string, share: RefundShare, now: Date): Promise<number> {
  const transfers = await tx.find(SellerTransfer, { orderId, status: TransferStatus.COMPLETED });
  let queued = 0;
  for (const transfer of transfers) {
    const due = targetOf(transfer, share) - transfer.reversedAmount;
    if (due <= 0) continue;
    queued += await transition(tx, SellerTransfer, transfer.id, TransferStatus.COMPLETED, TransferStatus.REVERSAL_PENDING, {
      pendingReversalAmount: due,
      pendingReversalRefundId: share.refundId,
      retryCount: 0,
      nextRetryAt: now,
      lastError: null,
    });
  }
  return queued;
}

/**
 * The share with its line-level part, when any of the order's SUCCEEDED
 * refunds named lines: each seller's refunded units' net (line total after
 * discounts, pro rata per unit) against the seller's whole net.
 */
export async function refundShareOf(
  tx: EntityManager,
  orderId: string,
  share: Omit<RefundShare, 'byLines'>,
  succeeded?: readonly Refund[],
): Promise<RefundShare> {
  const refunds = succeeded ?? (await tx.find(Refund, { orderId, status: RefundStatus.SUCCEEDED }, { refresh: true }));
  if (!refunds.some((r) => r.lines)) return share;
  const lines = await tx.find(OrderLine, { order: orderId });
  const sellers = new Map<string, SellerLineRefunds>();
  for (const line of lines) {
    if (!line.sellerId) continue;
    const seller = sellers.get(line.sellerId) ?? { refundedNet: 0, sellerNet: 0 };
    seller.sellerNet += line.total;
    sellers.set(line.sellerId, seller);
  }
  let orderLevelRefunded = 0;
  for (const refund of refunds) {
    if (!refund.lines) {
      orderLevelRefunded += refund.amount;
      continue;
    }
    for (const named of refund.lines) {
      const line = lines.find((candidate) => candidate.id === named.orderLineId);
      if (!line?.sellerId) continue;
      sellers.get(line.sellerId)!.refundedNet += Number((BigInt(line.total) * BigInt(named.quantity)) / BigInt(line.quantity));
    }
  }
  return { ...share, byLines: { orderLevelRefunded, sellers } };
}

/** The order's current refunded share, read fresh (the caller holds the order row lock). */
export async function currentRefundShare(tx: EntityManager, orderId: string): Promise<RefundShare | null> {
  const order = await tx.findOne(Order, { id: orderId }, { fields: ['id', 'creditApplied'], refresh: true });
  if (!order) return null;
  const payments = await tx.find(Payment, { orderId }, { refresh: true });
  const refunds = await tx.find(Refund, { orderId, status: RefundStatus.SUCCEEDED }, { orderBy: [{ settledAt: 'desc' }, { id: 'desc' }], refresh: true });
  if (refunds.length === 0) return null;
  const balance = refundableBalance(order.creditApplied, payments, refunds);
  return refundShareOf(tx, orderId, { refundId: refunds[0].id, refunded: balance.refunded, captured: balance.captured }, refunds);
}

/** Queues whatever the order's refunds still owe the transfers (after a transfer completes or a partial reversal). */
export async function catchUpReversals(tx: EntityManager, orderId: string, now: Date): Promise<number> {
  const share = await currentRefundShare(tx, orderId);
  return share ? queueReversals(tx, orderId, share, now) : 0;
}
