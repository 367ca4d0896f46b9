import { OutboxEventStatus, PaymentStatus, RefundStatus, SagaStatus } from '../../../entities';
import type { UnitOfWork } from '../../unit-of-work';
import type { OperationsStore, OpsSnapshot, OpsSnapshotQuery, OutcomeCounts } from '../operations-store';

interface SnapshotRow {
  metric: string;
  label: string | null;
  value: unknown;
}

interface BucketCount {
  bucket: number | string;
  n: number | string;
}

/** The statements both dialects share; each dialect gives how its column types are read back alike. */
export abstract class OperationsStoreBase implements OperationsStore {
  /** A timestamp expression as epoch milliseconds (a float). */
  protected abstract epochMs(expression: string): string;
  /** `count(*)` as the snapshot's value column holds it. */
  protected abstract readonly count: string;
  /** A null label, typed as the status labels are. */
  protected abstract readonly nullLabel: string;
  /** The bucket number (epoch ms / bucket length, rounded down) of a timestamp column. */
  protected abstract bucketOf(column: string, bucketMs: number): string;

  async opsSnapshot(uow: UnitOfWork, query: OpsSnapshotQuery): Promise<OpsSnapshot> {
    const { count, nullLabel: label } = this;
    const time = (date: Date) => uow.sql.time(date);
    const parts: { sql: string; params: unknown[] }[] = [
      {
        // Lag is what still waits for delivery: a dead letter waits for an operator, and has its own gauge.
        sql: `select 'outbox_oldest' as metric, ${label} as label, ${this.epochMs('min(created_at)')} as value from outbox_events where status in (?)`,
        params: [[OutboxEventStatus.PENDING]],
      },
      { sql: `select 'outbox_dead', ${label}, ${count} from outbox_events where status in (?)`, params: [[OutboxEventStatus.DEAD]] },
      {
        sql: `select 'payments_stale', ${label}, ${count} from payments where status in (?) and created_at < ?`,
        params: [[PaymentStatus.REQUIRES_ACTION], time(query.staleActionBefore)],
      },
      { sql: `select 'refund_oldest', ${label}, ${this.epochMs('min(created_at)')} from refunds where status in (?)`, params: [[RefundStatus.PENDING]] },
      { sql: `select 'transfers', status, ${count} from seller_transfers where status in (?) group by status`, params: [[...query.transferStatuses]] },
      {
        sql: `select 'sagas', case when status in (?) and updated_at < ? then ? else status end, ${count} from saga_executions where status in (?) group by 2`,
        params: [[SagaStatus.RUNNING], time(query.stuckBefore), query.stuckLabel, [...query.sagaStatuses]],
      },
    ];
    const rows = await uow.sql.rows<SnapshotRow>(
      parts.map((part) => part.sql).join(' union all '),
      parts.flatMap((part) => part.params),
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

  async checkoutOutcomes(uow: UnitOfWork, since: Date, bucketMs: number, failureEventType: string): Promise<OutcomeCounts> {
    const from = uow.sql.time(since);
    const bucket = this.bucketOf('created_at', bucketMs);
    const placed = await uow.sql.rows<BucketCount>(
      `select ${bucket} as bucket, count(*) as n from orders where created_at >= ? and placed_at is not null group by ${bucket}`,
      [from],
    );
    const failed = await uow.sql.rows<BucketCount>(
      `select ${bucket} as bucket, count(*) as n from outbox_events where type = ? and created_at >= ? group by ${bucket}`,
      [failureEventType, from],
    );
    const countsOf = (rows: BucketCount[]) => new Map(rows.map((row) => [Number(row.bucket), Number(row.n)]));
    return { placed: countsOf(placed), failed: countsOf(failed) };
  }
}
