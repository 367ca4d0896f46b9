import { insertWhenFlushed } from '../../db/held-inserts';
import type { EntityManager } from '../../db/orm';
import { insertEventOnce, newOutboxEventRow, type EventToRecord } from '../../db/stores/outbox-store';
import { OutboxEvent } from '../../entities';

export { onceEventId, type EventToRecord } from '../../db/stores/outbox-store';

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
 * For callers that hold only the transaction's EntityManager (checkout's
 * order placement): the row `outbox.append` writes, deferred to the
 * transaction's unit of work when the saga runner attached one
 * (held-inserts.ts). New code calls `stores.outbox.append(uow, events)`.
 */
export async function insertEvent(em: EntityManager, event: EventToRecord): Promise<void> {
  await insertWhenFlushed(em, OutboxEvent, newOutboxEventRow(event));
}

/**
 * `outbox.appendOnce` for callers not yet handed the stores (payment
 * settlement): the event unless this (type, aggregate) already has it.
 */
export async function recordEventOnce(em: EntityManager, event: EventToRecord): Promise<void> {
  await insertEventOnce(em, event);
}
