import type { EntityManager } from '../../db/orm';
import type { StaleSagas } from '../../db/stores/saga-store';
import { SagaExecution, SagaStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { CHECKOUT_SAGA_KIND } from '../checkout/checkout-types';
import { ConfirmCheckoutSaga } from '../checkout/confirm-checkout.saga';
import { logger } from '../shared/logger';
import { sagaRecoveries } from '../../observability/metrics';
import type { Worker } from './worker-runner';

const BATCH = 20;
/** Sagas whose process may have died mid-way: what recovery takes once they are past the grace period. */
export const UNFINISHED: readonly SagaStatus[] = [SagaStatus.RUNNING, SagaStatus.COMPENSATING];

type RecoveryDeps = Parameters<typeof ConfirmCheckoutSaga.fromApp>[0] & Pick<AppDeps, 'db' | 'stores'>;

/** Checkout sagas left RUNNING or COMPENSATING for longer than the grace period: their process is presumed dead. */
const staleAt = (now: Date, graceMs: number): StaleSagas => ({
  kind: CHECKOUT_SAGA_KIND,
  unfinished: UNFINISHED,
  staleBefore: new Date(now.getTime() - graceMs),
});

/**
 * Claims stale checkout sagas in one short transaction (SagaStore.claimStale:
 * leased, so two workers never pick the same saga within one grace period).
 * `only` narrows the claim to one saga (an operator's recoverSaga), which may
 * then also be FAILED.
 */
function claimStaleSagas(em: EntityManager, deps: RecoveryDeps, now: Date, only?: string): Promise<SagaExecution[]> {
  return deps.db.transaction(em, (uow) => deps.stores.sagas.claimStale(uow, staleAt(now, deps.config.sagaRecoveryGraceMs), now, BATCH, only));
}

/** The saga recovery drives: the app's, without any test faults. */
function recoverySaga(deps: RecoveryDeps): ConfirmCheckoutSaga {
  return ConfirmCheckoutSaga.fromApp({ ...deps, checkout: { ...deps.checkout, faults: undefined } });
}

const orderIdOf = (row: SagaExecution): string | undefined => (row.data as { input?: { orderId?: string } } | null)?.input?.orderId;

/**
 * Ends one claimed saga as ConfirmCheckoutSaga.recover decides (per step
 * reached; see there), counts and logs how; a failure is counted, logged and
 * rethrown. Every line about the saga names it and its order.
 */
async function endClaimedSaga(saga: ConfirmCheckoutSaga, em: EntityManager, row: SagaExecution): Promise<'completed' | 'compensated'> {
  const log = logger.child({ sagaId: row.id, orderId: orderIdOf(row) });
  try {
    const result = await saga.recover(em.fork(), row);
    sagaRecoveries.inc({ outcome: result });
    log.info('saga.recovered', { key: row.key, stepsCompleted: row.stepsCompleted, result });
    return result;
  } catch (error) {
    sagaRecoveries.inc({ outcome: 'failed' });
    log.error('saga.recovery_failed', { error });
    throw error;
  }
}

/**
 * One recovery round: every stale checkout saga is completed or compensated.
 * Returns how many sagas it ended; one that cannot be ended yet (Stripe
 * unreachable) is logged and tried again next round.
 */
export async function recoverStaleSagas(em: EntityManager, deps: RecoveryDeps, now: Date): Promise<number> {
  const saga = recoverySaga(deps);
  const rows = await claimStaleSagas(em, deps, now);
  let ended = 0;
  for (const row of rows) {
    try {
      await endClaimedSaga(saga, em, row);
      ended++;
    } catch {
      // Counted and logged by endClaimedSaga; the next round tries again.
    }
  }
  return ended;
}

/**
 * One saga recovered now, on an operator's word: the same claim (past the
 * grace period, or FAILED) and the same ending as a recovery round. Null when
 * recovery may not take it (unknown, ended, or still within its grace period:
 * its own process may be running it). A failure to end it is logged, as in a
 * round, and rethrown.
 */
export async function recoverSagaNow(em: EntityManager, deps: RecoveryDeps, id: string, now: Date): Promise<'completed' | 'compensated' | null> {
  const [row] = await claimStaleSagas(em, deps, now, id);
  if (!row) return null;
  return endClaimedSaga(recoverySaga(deps), em, row);
}

export function createSagaRecoveryWorker(deps: RecoveryDeps): Worker {
  return {
    name: 'saga-recovery',
    intervalMs: deps.config.workerPollIntervalMs,
    due: (now) => deps.stores.sagas.staleDue(staleAt(now, deps.config.sagaRecoveryGraceMs)),
    runOnce: (em, now) => recoverStaleSagas(em, deps, now),
  };
}
