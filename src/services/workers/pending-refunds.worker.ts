import type { EntityManager } from '../../db/orm';
import { Refund, RefundStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { logger } from '../shared/logger';
import { applyProviderAnswer, dispatchProviderRefund, type RefundProvider } from '../refunds/refund-dispatch';
import type { Worker } from './worker-runner';

export const PENDING_REFUNDS_WORKER = 'pending-refunds';
const BATCH_SIZE = 50;

/**
 * Settles refunds that phase 2 left PENDING: one whose Stripe call failed in an
 * outage (no provider id) is sent again with the SAME key (refund id), so
 * Stripe replays instead of refunding twice; one Stripe holds pending whose
 * webhook never came is looked up. Refunds younger than the grace period are
 * left to their request and webhook, which are usually still in flight.
 */
export async function settlePendingRefunds(em: EntityManager, provider: RefundProvider, now: Date, graceMs: number): Promise<number> {
  const before = new Date(now.getTime() - graceMs);
  const pending = await em.find(
    Refund,
    { status: RefundStatus.PENDING, providerAmount: { $gt: 0 }, createdAt: { $lte: before } },
    { orderBy: { createdAt: 'asc' }, limit: BATCH_SIZE },
  );
  let moved = 0;
  for (const refund of pending) {
    try {
      const progressed = refund.providerRefundId
        ? await applyProviderAnswer(em, refund.id, await provider.lookUpRefund(refund.providerRefundId), now)
        : await dispatchProviderRefund(em, provider, refund.id, now);
      if (progressed) moved += 1;
    } catch (error) {
      logger.error('refund.retry_failed', { refundId: refund.id, error });
    }
  }
  // Only progress counts: a Stripe outage must not make the runner spin.
  return moved;
}

export function pendingRefundsWorker(deps: AppDeps): Worker {
  return {
    name: PENDING_REFUNDS_WORKER,
    intervalMs: deps.config.reversalCheckIntervalMs,
    async runOnce(em, now) {
      return deps.payments ? settlePendingRefunds(em, deps.payments, now, deps.config.sagaRecoveryGraceMs) : 0;
    },
  };
}
