import type { EntityManager } from '../../db/orm';
import { Order, Payment, Refund, RefundStatus, SellerTransfer, TransferStatus } from '../../entities';
import { refundableBalance } from '../refunds/refund-policy';
import { transition } from '../state/transition';
import { reversalTarget } from './payout-math';

export interface RefundShare {
  /** The refund that (last) asked for reversals: part of the reversal's idempotency key. */
  refundId: string;
  /** SUCCEEDED refunds of the order so far. */
  refunded: number;
  /** What the buyer paid in total. */
  captured: number;
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
    const due = reversalTarget(transfer.amount, share.refunded, share.captured) - transfer.reversedAmount;
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

/** The order's current refunded share, read fresh (the caller holds the order row lock). */
export async function currentRefundShare(tx: EntityManager, orderId: string): Promise<RefundShare | null> {
  const order = await tx.findOne(Order, { id: orderId }, { fields: ['id', 'creditApplied'], refresh: true });
  if (!order) return null;
  const payments = await tx.find(Payment, { orderId }, { refresh: true });
  const refunds = await tx.find(Refund, { orderId, status: RefundStatus.SUCCEEDED }, { orderBy: [{ settledAt: 'desc' }, { id: 'desc' }], refresh: true });
  if (refunds.length === 0) return null;
  const balance = refundableBalance(order.creditApplied, payments, refunds);
  return { refundId: refunds[0].id, refunded: balance.refunded, captured: balance.captured };
}

/** Queues whatever the order's refunds still owe the transfers (after a transfer completes or a partial reversal). */
export async function catchUpReversals(tx: EntityManager, orderId: string, now: Date): Promise<number> {
  const share = await currentRefundShare(tx, orderId);
  return share ? queueReversals(tx, orderId, share, now) : 0;
}
