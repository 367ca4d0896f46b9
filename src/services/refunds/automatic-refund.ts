import type { EntityManager } from '../../db/orm';
import { Order, Refund, RefundStatus } from '../../entities';
import type { ProviderRefundAnswer } from '../payments/payment-port';
import { settleRefund } from './refund-settlement';

export interface AutomaticRefundRecord {
  orderId: string;
  /** What the buyer was charged and got back, all of it to the card. */
  amount: number;
  /** The key the refund was sent to Stripe with; also keeps the row unique when the webhook runs again. */
  idempotencyKey: string;
  reason: string;
  answer: ProviderRefundAnswer;
}

/**
 * Books a refund the gateway made on its own (a charge for an order nobody
 * may keep) in the caller's transaction, so Order.refunds shows where the
 * money went. It starts PENDING and is settled right away when Stripe already
 * answered, through the same settlement as an admin refund; a refund Stripe
 * still holds is settled later by its webhook or the pending-refunds worker.
 * Writes nothing when Stripe named no refund ("already refunded") or the row
 * exists (a second webhook for the same charge).
 */
export async function recordAutomaticRefund(tx: EntityManager, record: AutomaticRefundRecord, now: Date): Promise<Refund | null> {
  const { answer } = record;
  if (answer.kind === 'unknown' || answer.providerRefundId === null) return null;
  if (await tx.findOne(Refund, { idempotencyKey: record.idempotencyKey })) return null;
  const order = await tx.findOneOrFail(Order, { id: record.orderId }, { fields: ['id', 'currency'] });
  const refund = tx.create(Refund, {
    orderId: record.orderId,
    idempotencyKey: record.idempotencyKey,
    amount: record.amount,
    providerAmount: record.amount,
    currency: order.currency,
    reason: record.reason,
    providerRefundId: answer.providerRefundId,
    createdAt: now,
  });
  await tx.flush();
  if (answer.kind === 'succeeded') await settleRefund(tx, refund.id, { status: RefundStatus.SUCCEEDED, providerRefundId: answer.providerRefundId }, now);
  if (answer.kind === 'failed')
    await settleRefund(tx, refund.id, { status: RefundStatus.FAILED, providerRefundId: answer.providerRefundId, reason: answer.reason }, now);
  return refund;
}
