import { isPostgres, type EntityManager } from '../db/orm';
import { OutboxEventStatus, PaymentStatus, RefundStatus, SagaStatus, TransferStatus } from '../entities';
import type { AppDeps } from '../services/app-deps';
import { logger } from '../services/shared/logger';
import { sqlTime } from '../services/shared/batch-sql';
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

export interface OpsSnapshot {
  outboxOldestUndelivered: Date | null;
  outboxDead: number;
  paymentsRequiresActionStale: number;
  refundOldestPending: Date | null;
  transfers: Record<string, number>;
  sagas: Record<string, number>;
}

/**
 * Everything the gauges show, in ONE statement: one small aggregate per
 * gauge, glued with UNION ALL, each over an index (outbox by delivered_at,
 * sagas and transfers by status). Times come back as epoch milliseconds on
 * both dialects.
 */
export async function readOpsSnapshot(
  em: EntityManager,
  now: Date,
  settings: { sagaRecoveryGraceMs: number; cardActionTimeoutMs: number },
): Promise<OpsSnapshot> {
  const pg = isPostgres(em);
  const epochMs = (expression: string) => (pg ? `(extract(epoch from ${expression}) * 1000)::float8` : expression);
  const count = pg ? 'count(*)::float8' : 'count(*)';
  const label = pg ? 'cast(null as text)' : 'null';
  const parts: { sql: string; params: unknown[] }[] = [
    {
      // Lag is what still waits for delivery: a dead letter waits for an operator, and has its own gauge.
      sql: `select 'outbox_oldest' as metric, ${label} as label, ${epochMs('min(created_at)')} as value from outbox_events where status in (?)`,
      params: [[OutboxEventStatus.PENDING]],
    },
    { sql: `select 'outbox_dead', ${label}, ${count} from outbox_events where status in (?)`, params: [[OutboxEventStatus.DEAD]] },
    {
      sql: `select 'payments_stale', ${label}, ${count} from payments where status in (?) and created_at < ?`,
      params: [[PaymentStatus.REQUIRES_ACTION], sqlTime(em, new Date(now.getTime() - settings.cardActionTimeoutMs))],
    },
    { sql: `select 'refund_oldest', ${label}, ${epochMs('min(created_at)')} from refunds where status in (?)`, params: [[RefundStatus.PENDING]] },
    { sql: `select 'transfers', status, ${count} from seller_transfers where status in (?) group by status`, params: [[...WATCHED_TRANSFER_STATUSES]] },
    {
      sql: `select 'sagas', case when status in (?) and updated_at < ? then '${STUCK_SAGA}' else status end, ${count} from saga_executions where status in (?) group by 2`,
      params: [[SagaStatus.RUNNING], sqlTime(em, new Date(now.getTime() - settings.sagaRecoveryGraceMs)), [...UNFINISHED_SAGAS]],
    },
  ];
  const rows = await em.execute<{ metric: string; label: string | null; value: unknown }[]>(
    parts.map((part) => part.sql).join(' union all '),
    parts.flatMap((part) => part.params),
    'all',
  );
  const snapshot: OpsSnapshot = {
    outboxOldestUndelivered: null,
    outboxDead: 0,
    paymentsRequiresActionStale: 0,
    refundOldestPending: null,
    transfers: {},
    sagas: {},
  };
  for (const row of rows) {
    const value = row.value === null || row.value === undefined ? null : Number(row.value);
    if (value === null) continue;
    if (row.metric === 'outbox_oldest') snapshot.outboxOldestUndelivered = new Date(value);
    else if (row.metric === 'outbox_dead') snapshot.outboxDead = value;
    else if (row.metric === 'payments_stale') snapshot.paymentsRequiresActionStale = value;
    else if (row.metric === 'refund_oldest') snapshot.refundOldestPending = new Date(value);
    else if (row.metric === 'transfers' && row.label) snapshot.transfers[row.label] = value;
    else if (row.metric === 'sagas' && row.label) snapshot.sagas[row.label] = value;
  }
  return snapshot;
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

export async function refreshOpsGauges(deps: Pick<AppDeps, 'orm' | 'clock' | 'config'>): Promise<OpsSnapshot> {
  const now = deps.clock.now();
  const snapshot = await readOpsSnapshot(deps.orm.em.fork(), now, deps.config);
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
export function startOpsGaugesRefresher(deps: Pick<AppDeps, 'orm' | 'clock' | 'config'>): OpsGaugesRefresher {
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
