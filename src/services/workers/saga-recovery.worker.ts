import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { isPostgres } from '../../db/orm';
import { SagaExecution, SagaStatus } from '../../entities';
import { CHECKOUT_SAGA_KIND } from '../checkout/checkout-types';
import { ConfirmCheckoutSaga } from '../checkout/confirm-checkout.saga';
import { logger } from '../shared/logger';
import { sagaRecoveries } from '../../observability/metrics';
import { sqlTime } from '../shared/batch-sql';
import type { DueCheck } from './due-check';
import type { Worker } from './worker-runner';

const BATCH = 20;
/** Sagas whose process may have died mid-way: what recovery takes once they are past the grace period. */
export const UNFINISHED: readonly SagaStatus[] = [SagaStatus.RUNNING, SagaStatus.COMPENSATING];

type RecoveryDeps = Parameters<typeof ConfirmCheckoutSaga.fromApp>[0];

/**
 * Claims sagas left RUNNING or COMPENSATING for longer than the grace period
 * (their process is presumed dead). On PostgreSQL the rows are taken with
 * FOR UPDATE SKIP LOCKED and leased by bumping updatedAt, so two workers never
 * pick the same saga within one grace period; libSQL has a single writer.
 * `only` narrows the claim to one saga (an operator's recoverSaga), which may
 * then also be FAILED.
 */
async function claimStaleSagas(em: EntityManager, now: Date, graceMs: number, only?: string): Promise<SagaExecution[]> {
  const stale = { status: { $in: [...UNFINISHED] }, updatedAt: { $lt: new Date(now.getTime() - graceMs) } };
  const where = only ? { id: only, kind: CHECKOUT_SAGA_KIND, $or: [stale, { status: SagaStatus.FAILED }] } : { kind: CHECKOUT_SAGA_KIND, ...stale };
  return em.fork().transactional(async (tx) => {
    const rows = await tx.find(SagaExecution, where, {
      orderBy: { updatedAt: 'asc' },
      limit: BATCH,
      ...(isPostgres(tx as EntityManager) ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
    });
    if (rows.length > 0) await tx.nativeUpdate(SagaExecution, { id: { $in: rows.map((r) => r.id) } }, { updatedAt: now });
    return rows;
  });
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
  const rows = await claimStaleSagas(em, now, deps.config.sagaRecoveryGraceMs);
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
  const [row] = await claimStaleSagas(em, now, deps.config.sagaRecoveryGraceMs, id);
  if (!row) return null;
  return endClaimedSaga(recoverySaga(deps), em, row);
}

/** The claim's filter as the worker's due check, over the (status, updated_at) index. */
function staleSagaCheck(em: EntityManager, now: Date, graceMs: number): DueCheck {
  return {
    sql: 'exists (select 1 from saga_executions where kind = ? and status in (?) and updated_at < ?)',
    params: [CHECKOUT_SAGA_KIND, UNFINISHED, sqlTime(em, new Date(now.getTime() - graceMs))],
  };
}

export function createSagaRecoveryWorker(deps: RecoveryDeps): Worker {
  return {
    name: 'saga-recovery',
    intervalMs: deps.config.workerPollIntervalMs,
    due: (em, now) => staleSagaCheck(em, now, deps.config.sagaRecoveryGraceMs),
    runOnce: (em, now) => recoverStaleSagas(em, deps, now),
  };
}
