import type { EntityManager } from '../../db/orm';
import type { EventToRecord } from '../../db/stores/outbox-store';
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
