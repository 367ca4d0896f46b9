import type { OpsSnapshot } from '../db/stores/operations-store';
import { SagaStatus, TransferStatus } from '../entities';
import type { AppDeps } from '../services/app-deps';
import { logger } from '../services/shared/logger';
import {
  opsGaugesRefreshed,
  outboxDeadLetters,
  outboxLagSeconds,
  paymentsRequiresActionStale,
  refundsPendingOldestSeconds,
  sagas,
  sellerTransfers,
} from './metrics';

/**
 * Transfers that end up COMPLETED or REVERSED pile up for ever and say nothing
 * about health; counting them would grow the refresh with the table.
 */
export const WATCHED_TRANSFER_STATUSES: readonly TransferStatus[] = [
  TransferStatus.PENDING,
  TransferStatus.FAILED,
  TransferStatus.REVERSAL_PENDING,
  TransferStatus.PERMANENTLY_FAILED,
];
const UNFINISHED_SAGAS: readonly SagaStatus[] = [SagaStatus.RUNNING, SagaStatus.COMPENSATING, SagaStatus.FAILED];
export const STUCK_SAGA = 'STUCK';

export type { OpsSnapshot } from '../db/stores/operations-store';

type GaugeDeps = Pick<AppDeps, 'orm' | 'db' | 'stores' | 'clock' | 'config'>;

/**
 * Everything the gauges show, in one statement (OperationsStore.opsSnapshot):
 * card payments waiting for 3-D Secure past CARD_ACTION_TIMEOUT are stale,
 * RUNNING sagas past the recovery grace period are stuck.
 */
export function readOpsSnapshot(deps: GaugeDeps, now: Date): Promise<OpsSnapshot> {
  return deps.stores.operations.opsSnapshot(deps.db.unitOfWork(deps.orm.em.fork()), {
    staleActionBefore: new Date(now.getTime() - deps.config.cardActionTimeoutMs),
    stuckBefore: new Date(now.getTime() - deps.config.sagaRecoveryGraceMs),
    transferStatuses: WATCHED_TRANSFER_STATUSES,
    sagaStatuses: UNFINISHED_SAGAS,
    stuckLabel: STUCK_SAGA,
  });
}

const ageSeconds = (since: Date | null, now: Date): number => (since ? Math.max(0, (now.getTime() - since.getTime()) / 1000) : 0);

/** Sets every gauge from one snapshot; a status with no rows reads 0 rather than keeping its last value. */
export function publishOpsSnapshot(snapshot: OpsSnapshot, now: Date): void {
  outboxLagSeconds.set(ageSeconds(snapshot.outboxOldestUndelivered, now));
  outboxDeadLetters.set(snapshot.outboxDead);
  paymentsRequiresActionStale.set(snapshot.paymentsRequiresActionStale);
  refundsPendingOldestSeconds.set(ageSeconds(snapshot.refundOldestPending, now));
  for (const status of WATCHED_TRANSFER_STATUSES) sellerTransfers.set({ status }, snapshot.transfers[status] ?? 0);
  for (const status of [...UNFINISHED_SAGAS, STUCK_SAGA]) sagas.set({ status }, snapshot.sagas[status] ?? 0);
  opsGaugesRefreshed.set(now.getTime() / 1000);
}

export async function refreshOpsGauges(deps: GaugeDeps): Promise<OpsSnapshot> {
  const now = deps.clock.now();
  const snapshot = await readOpsSnapshot(deps, now);
  publishOpsSnapshot(snapshot, now);
  return snapshot;
}

export interface OpsGaugesRefresher {
  /** Stops the timer and waits for a refresh in flight (it still needs the database). */
  stop(): Promise<void>;
}

/**
 * Refreshes the gauges every METRICS_REFRESH_INTERVAL in the processes that
 * run the background workers, so a scrape reads memory and never the
 * database. A failed refresh is logged; the gauges keep their last values and
 * ops_gauges_refreshed_timestamp_seconds shows how old they are.
 */
export function startOpsGaugesRefresher(deps: GaugeDeps): OpsGaugesRefresher {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const round = () => {
    timer = null;
    inFlight = refreshOpsGauges(deps)
      .then(
        () => undefined,
        (error: unknown) => logger.error('metrics.ops_gauges_failed', { error }),
      )
      .then(() => {
        if (!stopped) timer = setTimeout(round, deps.config.metricsRefreshIntervalMs);
      });
  };
  round();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
