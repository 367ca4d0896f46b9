import type { EntityManager, Orm } from '../../../../src/db/orm';
import type { OutboxEvent } from '../../../../src/entities';
import { recordEvent } from '../../../../src/services/outbox/outbox';

/** Commits `count` events in one transaction, as a service would with its state change. */
export async function commitEvents(orm: Orm, count: number, type = 'order.placed'): Promise<OutboxEvent[]> {
  return orm.em
    .fork()
    .transactional(async (tx) =>
      Array.from({ length: count }, (_, i) => recordEvent(tx as EntityManager, { type, aggregateId: `order-${i}`, payload: { index: i, total: 1_000 + i } })),
    );
}
