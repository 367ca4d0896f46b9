import type { SagaStatus, TransferStatus } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';

/** What the operations gauges show (observability/ops-gauges.ts), read at one moment. */
export interface OpsSnapshot {
  outboxOldestUndelivered: Date | null;
  outboxDead: number;
  paymentsRequiresActionStale: number;
  refundOldestPending: Date | null;
  /** Transfers per status, of the statuses asked for. */
  transfers: Record<string, number>;
  /** Sagas per status, of the statuses asked for; RUNNING ones stuck past the grace period under `stuckLabel` instead. */
  sagas: Record<string, number>;
}

/** Which rows the gauges count. */
export interface OpsSnapshotQuery {
  /** Card payments awaiting 3-D Secure since before this are stale. */
  staleActionBefore: Date;
  /** RUNNING sagas not moved since before this are stuck. */
  stuckBefore: Date;
  transferStatuses: readonly TransferStatus[];
  sagaStatuses: readonly SagaStatus[];
  stuckLabel: string;
}

/** Counts per five-minute bucket number (epoch ms / bucket length). */
export interface OutcomeCounts {
  /** Orders created in the bucket that were placed. */
  placed: Map<number, number>;
  /** Events of the failure type recorded in the bucket. */
  failed: Map<number, number>;
}

/** The operators' reads: gauges and dashboards over rows the rest of the gateway writes anyway. */
export interface OperationsStore {
  /**
   * Everything the gauges show in ONE statement: one small aggregate per
   * gauge, glued with UNION ALL, each over an index (outbox by status,
   * sagas and transfers by status).
   */
  opsSnapshot(uow: UnitOfWork, query: OpsSnapshotQuery): Promise<OpsSnapshot>;
  /**
   * Since `since`, per bucket of `bucketMs`: orders created then that were
   * placed, and outbox events of `failureEventType` recorded then. Two grouped
   * statements; nothing is written for it.
   */
  checkoutOutcomes(uow: UnitOfWork, since: Date, bucketMs: number, failureEventType: string): Promise<OutcomeCounts>;
}
