import type { AppDeps } from '../../schema/context';
import { outboxRelayWorker } from './outbox-relay.worker';
import { createReservationExpiryWorker } from './reservation-expiry.worker';
import { createHostedCheckoutSweeper } from './hosted-checkout-sweeper.worker';
import { createCardPaymentSweeper } from './card-payment-sweeper.worker';
import { createSagaRecoveryWorker } from './saga-recovery.worker';
import type { Worker } from './worker-runner';
import { pendingRefundsWorker } from '../refunds/pending-refunds.worker';
import { sellerTransferWorker } from '../payouts/seller-transfer.worker';
import { transferReversalWorker } from '../payouts/transfer-reversal.worker';

export { WorkerRunner, type Worker } from './worker-runner';

/** Every background worker, in-process (WORKERS=on) or in `npm run worker`. */
export function allWorkers(deps: AppDeps): Worker[] {
  return [
    outboxRelayWorker(deps),
    createSagaRecoveryWorker(deps),
    createReservationExpiryWorker(deps.config.workerPollIntervalMs),
    createHostedCheckoutSweeper(deps),
    createCardPaymentSweeper(deps),
    pendingRefundsWorker(deps),
    sellerTransferWorker(deps),
    transferReversalWorker(deps),
  ].filter((worker): worker is Worker => worker !== null);
}
