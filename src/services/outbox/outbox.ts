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
 * For callers not yet on stores (checkout's order placement, whose saga
 * holds its inserts with held-inserts.ts): the row `outbox.append` writes,
 * sent with that transaction's last insert. New code calls
 * `stores.outbox.append(uow, events)`.
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
