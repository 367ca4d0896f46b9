import { createHash } from 'node:crypto';
import type { RequiredEntityData } from '@mikro-orm/core';
import { OutboxEvent, OutboxEventStatus } from '../../entities';
import { newId } from '../../entities/columns';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

export interface EventToRecord {
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** An event claimed for delivery, as the relay publishes it. */
export interface ClaimedEvent {
  id: string;
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  /** Attempts including this one. */
  attempts: number;
}

/** A failed delivery: its error, and when it is due again. */
export interface RetryOf {
  id: string;
  error: string;
  retryAt: Date;
}

/** The outbox (invariant 8): events written with the change they describe, claimed and delivered at least once. */
export interface OutboxStore {
  /**
   * Queues the events in the unit of work's transaction: deferred (nothing
   * reads an event back in its own transaction), so they are sent with the
   * transaction's next insert or at its end, and commit with it or not at all.
   * Each row id is the event id. Needs a transaction.
   */
  append(uow: UnitOfWork, events: readonly EventToRecord[]): void;
  /**
   * Writes the one event of (type, aggregate) now unless it exists: its id is
   * `onceEventId`, so two writers racing insert the same primary key and the
   * database keeps one. No count-then-insert.
   */
  appendOnce(uow: UnitOfWork, event: EventToRecord): Promise<void>;
  /**
   * Claims up to `limit` PENDING events due at `now` in one statement and
   * leases them (attempts + 1, due again at `leaseUntil`); on PostgreSQL with
   * SKIP LOCKED, so concurrent relays take disjoint batches. Oldest first.
   * Dead letters are never claimed.
   */
  claimDue(uow: UnitOfWork, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedEvent[]>;
  /**
   * Records failed deliveries in one statement: each event keeps its error
   * and is due again at its own `retryAt`. Only events still PENDING change.
   */
  scheduleRetries(uow: UnitOfWork, retries: readonly RetryOf[]): Promise<void>;
  /** Whether `claimDue` would find an event at `now` (the same predicate, over the (status, next_attempt_at) index). */
  due(now: Date): DueCheck;
}

/**
 * A new event's row: pending, due now, never tried. Wall-clock time, as the
 * entity's own defaults give an event recorded through the ORM: an event is
 * due from the moment it is written, whatever clock its writer runs on.
 */
export function newOutboxEventRow(event: EventToRecord, id: string = newId()): RequiredEntityData<OutboxEvent> {
  const now = new Date();
  return {
    id,
    status: OutboxEventStatus.PENDING,
    type: event.type,
    aggregateId: event.aggregateId,
    payload: event.payload,
    createdAt: now,
    nextAttemptAt: now,
    attempts: 0,
  };
}

/**
 * The id of the one event of `type` about `aggregateId`: a name-based UUID
 * (version 5 layout over SHA-256), the same in every process and every retry.
 */
export function onceEventId(type: string, aggregateId: string): string {
  const hex = createHash('sha256').update(`${type}:${aggregateId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
