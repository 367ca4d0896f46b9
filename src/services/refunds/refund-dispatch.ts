import type { EntityManager } from '../../db/orm';
import { Payment, Refund, RefundStatus } from '../../entities';
import { logger } from '../shared/logger';
import { isCardKind } from '../orders/order-balance';
import type { PaymentPort, ProviderRefundAnswer } from '../payments/payment-port';

/** The refund calls of the payment port. */
export type RefundProvider = Pick<PaymentPort, 'refund' | 'lookUpRefund'>;
import { settleRefund } from './refund-settlement';

/** The PaymentIntent behind an order's card payment that took money, if any. */
export async function capturedPaymentIntentId(em: EntityManager, orderId: string): Promise<string | null> {
  const payments = await em.find(Payment, { orderId }, { orderBy: { createdAt: 'asc' }, refresh: true });
  for (const payment of payments) {
    if (!isCardKind(payment.kind) || payment.captured <= 0) continue;
    const intentId = payment.providerPaymentIntentId ?? (payment.providerReference?.startsWith('pi_') ? payment.providerReference : null);
    if (intentId) return intentId;
  }
  return null;
}

/**
 * Applies a provider answer in the caller's transaction: settles the refund,
 * or records the provider's refund id while Stripe keeps it pending; an
 * unknown answer changes nothing (the refund stays PENDING for a retry with
 * the same key). True when the refund moved.
 */
export async function applyProviderAnswerIn(tx: EntityManager, refundId: string, answer: ProviderRefundAnswer, now: Date): Promise<boolean> {
  switch (answer.kind) {
    case 'succeeded':
      return settleRefund(tx, refundId, { status: RefundStatus.SUCCEEDED, providerRefundId: answer.providerRefundId }, now);
    case 'failed':
      logger.warn('refund.provider_failed', { refundId, reason: answer.reason });
      return settleRefund(tx, refundId, { status: RefundStatus.FAILED, providerRefundId: answer.providerRefundId, reason: answer.reason }, now);
    case 'pending': {
      // Not a status change: Stripe holds the refund, its webhook settles it.
      const where = { id: refundId, status: RefundStatus.PENDING, providerRefundId: null };
      return (await tx.nativeUpdate(Refund, where, { providerRefundId: answer.providerRefundId })) > 0;
    }
    case 'unknown':
      logger.warn('refund.provider_unavailable', { refundId, reason: answer.reason });
      return false;
  }
}

/** The same, in a short transaction of its own. */
export async function applyProviderAnswer(em: EntityManager, refundId: string, answer: ProviderRefundAnswer, now: Date): Promise<boolean> {
  return em.fork().transactional((tx) => applyProviderAnswerIn(tx as EntityManager, refundId, answer, now));
}

/**
 * Phase 2's Stripe call: asks the provider to refund the card part of a
 * PENDING refund, with the refund id as idempotency key, outside any database
 * transaction, and hands back its answer for the caller to apply. Null (no
 * call) for a refund that is settled, has no card part, or that Stripe
 * already knows (it has a provider refund id: the webhook or the
 * pending-refunds worker settles it). Safe to repeat: Stripe replays the key.
 */
export async function askProviderToRefund(em: EntityManager, provider: RefundProvider, refundId: string): Promise<ProviderRefundAnswer | null> {
  const refund = await em.findOne(Refund, { id: refundId }, { refresh: true });
  if (!refund || refund.status !== RefundStatus.PENDING || refund.providerAmount <= 0 || refund.providerRefundId) return null;
  const paymentIntentId = await capturedPaymentIntentId(em, refund.orderId);
  if (!paymentIntentId) throw new Error(`refund ${refundId}: order ${refund.orderId} has no captured card payment to refund`);
  return provider.refund({
    refundId: refund.id,
    orderId: refund.orderId,
    paymentIntentId,
    amount: refund.providerAmount,
    reason: refund.reason,
  });
}

/** Phase 2 whole: the Stripe call, then its answer applied in one short transaction. */
export async function dispatchProviderRefund(em: EntityManager, provider: RefundProvider, refundId: string, now: Date): Promise<boolean> {
  const answer = await askProviderToRefund(em, provider, refundId);
  return answer ? applyProviderAnswer(em, refundId, answer, now) : false;
}
