import { insertWhenFlushed } from '../../db/held-inserts';
import type { EntityManager } from '../../db/orm';
import { OutboxEvent, OutboxEventStatus } from '../../entities';
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
  const now = new Date();
  await insertWhenFlushed(em, OutboxEvent, { id: newId(), status: OutboxEventStatus.PENDING, type: event.type, aggregateId: event.aggregateId, payload: event.payload, createdAt: now, nextAttemptAt: now, attempts: 0 });
}
