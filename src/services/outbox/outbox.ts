import { insertWhenFlushed } from '../../db/held-inserts';
import type { EntityManager } from '../../db/orm';
import { OutboxEvent, OutboxEventStatus } from '../../entities';
import { createHash } from 'node:crypto';
import { newId } from '../../entities/columns';

export interface EventToRecord {
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/**
 * Queues an event in the caller's transaction (invariant 8): it is committed with
 * the state change it describes, or not at all. The row id is the event id.
 */
export function recordEvent(em: EntityManager, event: EventToRecord): OutboxEvent {
  const row = em.create(OutboxEvent, { type: event.type, aggregateId: event.aggregateId, payload: event.payload });
  em.persist(row);
  return row;
}

/**
 * The same, written with one insert instead of through the unit of work: for
 * hot paths that load no entities and so have nothing else to flush. Nothing
 * reads an event back in its own transaction, so a transaction that holds
 * inserts sends it with its last one (held-inserts.ts).
 */
export async function insertEvent(em: EntityManager, event: EventToRecord): Promise<void> {
  await insertWhenFlushed(em, OutboxEvent, newEventRow(newId(), event));
}

/**
 * A new event's row: pending, due now, never tried. Wall-clock time, as the
 * entity's own defaults give an event recorded through the unit of work: an
 * event is due from the moment it is written, whatever clock its writer runs on.
 */
function newEventRow(id: string, event: EventToRecord) {
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

/**
 * Queues the event unless this (type, aggregate) already has it, in the
 * caller's transaction: its id is `onceEventId`, so two writers racing (say,
 * Stripe delivering the same news twice at once) insert the same primary key
 * and the database keeps one. No count-then-insert.
 */
export async function recordEventOnce(em: EntityManager, event: EventToRecord): Promise<void> {
  await em
    .createQueryBuilder(OutboxEvent)
    .insert(newEventRow(onceEventId(event.type, event.aggregateId), event))
    .onConflict('id')
    .ignore()
    .execute('run');
}
