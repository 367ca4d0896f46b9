import type { AppDeps } from '../app-deps';
import { outboxRelayWorker } from './outbox-relay.worker';
import { createReservationExpiryWorker } from './reservation-expiry.worker';
import { createHostedCheckoutSweeper } from './hosted-checkout-sweeper.worker';
import { createCardPaymentSweeper } from './card-payment-sweeper.worker';
import { createCartCleanupWorker } from './cart-cleanup.worker';
import { createRateLimitSweepWorker } from './rate-limit-sweep.worker';
import { createSagaRecoveryWorker } from './saga-recovery.worker';
import type { Worker } from './worker-runner';
import { pendingRefundsWorker } from './pending-refunds.worker';
import { sellerTransferWorkers } from './seller-transfer.worker';
import { subscriptionRenewalWorker } from './subscription-renewal.worker';
import { transferReversalWorker } from './transfer-reversal.worker';

export { WorkerRunner, type Worker } from './worker-runner';

/**
 * The refunds worker with its due check: the filter settlePendingRefunds reads
 * (PENDING, something to ask the provider for, older than the grace period).
 * The two must ask the same question, or the worker sleeps through refunds it
 * would settle (or wakes for none): a change to that filter is a change here.
 */
function pendingRefundsWithDueCheck(deps: AppDeps): Worker {
  const graceMs = deps.config.sagaRecoveryGraceMs;
  return {
    ...pendingRefundsWorker(deps),
    due: (now) => deps.stores.work.pendingRefundsDue(new Date(now.getTime() - graceMs)),
  };
}

/** Every background worker, in-process (WORKERS=on) or in `npm run worker`. */
export function allWorkers(deps: AppDeps): Worker[] {
  return [
    outboxRelayWorker(deps),
    createSagaRecoveryWorker(deps),
    createReservationExpiryWorker(deps),
    createHostedCheckoutSweeper(deps),
    createCardPaymentSweeper(deps),
    pendingRefundsWithDueCheck(deps),
    ...sellerTransferWorkers(deps),
    transferReversalWorker(deps),
    createCartCleanupWorker(deps),
    createRateLimitSweepWorker(deps),
    subscriptionRenewalWorker(deps),
  ].filter((worker): worker is Worker => worker !== null);
}
