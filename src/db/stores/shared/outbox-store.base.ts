import { OutboxEvent, OutboxEventStatus } from '../../../entities';
import type { Database } from '../../database';
import { dateOf, intOf, jsonOf } from '../../sql/row-values';
import type { Row } from '../../sql/sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { DueCheck } from '../due-check';
import { newOutboxEventRow, onceEventId, type ClaimedEvent, type EventToRecord, type OutboxStore, type RetryOf } from '../outbox-store';
import { byCreatedAtThenId, type ClaimWithLease } from './lease-claim';

/** Pending events whose time has come: the claim's predicate and the due check. */
const DUE = `status in ('${OutboxEventStatus.PENDING}') and next_attempt_at <= ?`;

/** A claimed row as the relay publishes it, read in either dialect's shapes (json parsed or text, a date or epoch milliseconds). */
const claimedEventOf = (row: Row): ClaimedEvent => ({
  id: String(row.id),
  type: String(row.type),
  aggregateId: String(row.aggregate_id),
  payload: jsonOf<Record<string, unknown>>(row.payload),
  createdAt: dateOf(row.created_at),
  attempts: intOf(row.attempts),
});

/** The statements both dialects share; each dialect gives its claim and how a timestamp parameter stands in a CASE. */
export abstract class OutboxStoreBase implements OutboxStore {
  protected abstract readonly claimWithLease: ClaimWithLease;
  /** A timestamp parameter where PostgreSQL cannot infer its type (a CASE branch). */
  protected abstract readonly timeParam: string;

  constructor(private readonly db: Database) {}

  append(uow: UnitOfWork, events: readonly EventToRecord[]): void {
    uow.defer(
      OutboxEvent,
      events.map((event) => newOutboxEventRow(event)),
    );
  }

  async appendOnce(uow: UnitOfWork, event: EventToRecord): Promise<void> {
    await uow.em
      .createQueryBuilder(OutboxEvent)
      .insert(newOutboxEventRow(event, onceEventId(event.type, event.aggregateId)))
      .onConflict('id')
      .ignore()
      .execute('run');
  }

  async claimDue(uow: UnitOfWork, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedEvent[]> {
    await uow.readable(OutboxEvent);
    const rows = await this.claimWithLease(uow.sql, {
      table: 'outbox_events',
      lease: 'attempts = attempts + 1, next_attempt_at = ?',
      leaseParams: [uow.sql.time(leaseUntil)],
      due: DUE,
      dueParams: [uow.sql.time(now)],
      orderBy: 'created_at, id',
      limit,
    });
    return rows.map(claimedEventOf).sort(byCreatedAtThenId);
  }

  async scheduleRetries(uow: UnitOfWork, retries: readonly RetryOf[]): Promise<void> {
    if (retries.length === 0) return;
    // As text: the statement's shape varies with the batch, and each would take a slot of the statement cache.
    const sql = this.db.sql(uow.em, { prepared: false });
    const whens = (placeholder: string) => `case id ${retries.map(() => `when ? then ${placeholder}`).join(' ')} end`;
    await sql.write(
      `update outbox_events set last_error = ${whens('?')}, next_attempt_at = ${whens(this.timeParam)} where id in (?) and status in ('${OutboxEventStatus.PENDING}')`,
      [
        ...retries.flatMap((retry) => [retry.id, retry.error]),
        ...retries.flatMap((retry) => [retry.id, sql.time(retry.retryAt)]),
        retries.map((retry) => retry.id),
      ],
    );
  }

  due(now: Date): DueCheck {
    return { sql: `exists (select 1 from outbox_events where ${DUE})`, params: [now] };
  }
}
