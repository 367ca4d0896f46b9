import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { isPostgres } from '../../db/orm';
import { SagaExecution, SagaStatus } from '../../entities';
import type { AppDeps } from '../../schema/context';
import { CHECKOUT_SAGA_KIND } from '../checkout/checkout-types';
import { ConfirmCheckoutSaga } from '../checkout/confirm-checkout.saga';
import { logger } from '../shared/logger';
import { sagaRecoveries } from '../../observability/metrics';
import { sqlTime } from './batch-sql';
import type { DueCheck } from './due-check';
import type { Worker } from './worker-runner';

const BATCH = 20;
const UNFINISHED: readonly SagaStatus[] = [SagaStatus.RUNNING, SagaStatus.COMPENSATING];

/**
 * Claims sagas left RUNNING or COMPENSATING for longer than the grace period
 * (their process is presumed dead). On PostgreSQL the rows are taken with
 * FOR UPDATE SKIP LOCKED and leased by bumping updatedAt, so two workers never
 * pick the same saga within one grace period; libSQL has a single writer.
 */
async function claimStaleSagas(em: EntityManager, now: Date, graceMs: number): Promise<SagaExecution[]> {
  return em.fork().transactional(async (tx) => {
    const rows = await tx.find(
      SagaExecution,
      { kind: CHECKOUT_SAGA_KIND, status: { $in: [...UNFINISHED] }, updatedAt: { $lt: new Date(now.getTime() - graceMs) } },
      { orderBy: { updatedAt: 'asc' }, limit: BATCH, ...(isPostgres(tx as EntityManager) ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}) },
    );
    if (rows.length > 0) await tx.nativeUpdate(SagaExecution, { id: { $in: rows.map((r) => r.id) } }, { updatedAt: now });
    return rows;
  });
}

/**
 * One recovery round: every stale checkout saga is completed or compensated as
 * ConfirmCheckoutSaga.recover decides (per step reached; see there). Returns
 * how many sagas it ended.
 */
export async function recoverStaleSagas(em: EntityManager, deps: Pick<AppDeps, 'config' | 'clock' | 'extensions'>, now: Date): Promise<number> {
  const saga = ConfirmCheckoutSaga.fromApp({ ...deps, extensions: { ...deps.extensions, checkoutFaults: undefined } });
  const rows = await claimStaleSagas(em, now, deps.config.sagaRecoveryGraceMs);
  let ended = 0;
  for (const row of rows) {
    // Every line about this saga names it and its order, whoever logs it.
    const log = logger.child({ sagaId: row.id, orderId: orderIdOf(row) });
    try {
      const result = await saga.recover(em.fork(), row);
      sagaRecoveries.inc({ outcome: result });
      log.info('saga.recovered', { key: row.key, stepsCompleted: row.stepsCompleted, result });
      ended++;
    } catch (error) {
      sagaRecoveries.inc({ outcome: 'failed' });
      log.error('saga.recovery_failed', { error });
    }
  }
  return ended;
}

const orderIdOf = (row: SagaExecution): string | undefined => (row.data as { input?: { orderId?: string } } | null)?.input?.orderId;

/** The claim's filter as the worker's due check, over the (status, updated_at) index. */
function staleSagaCheck(em: EntityManager, now: Date, graceMs: number): DueCheck {
  return {
    sql: 'exists (select 1 from saga_executions where kind = ? and status in (?) and updated_at < ?)',
    params: [CHECKOUT_SAGA_KIND, UNFINISHED, sqlTime(em, new Date(now.getTime() - graceMs))],
  };
}

export function createSagaRecoveryWorker(deps: Pick<AppDeps, 'config' | 'clock' | 'extensions'>): Worker {
  return {
    name: 'saga-recovery',
    intervalMs: deps.config.workerPollIntervalMs,
    due: (em, now) => staleSagaCheck(em, now, deps.config.sagaRecoveryGraceMs),
    runOnce: (em, now) => recoverStaleSagas(em, deps, now),
  };
}
