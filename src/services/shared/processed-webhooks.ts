import type { EntityManager } from '../../db/orm';
import { ProcessedWebhookEvent } from '../../entities';

/** A verified delivery's identity: the provider's event id and type. */
export interface WebhookDelivery {
  id: string;
  type: string;
}

/** Whether a delivery of this event already had its effect (a committed event id). */
export async function alreadyProcessed(em: EntityManager, delivery: WebhookDelivery): Promise<boolean> {
  return (await em.fork().findOne(ProcessedWebhookEvent, { id: delivery.id }, { fields: ['id'] })) !== null;
}

/**
 * Records the event id in the transaction that applies its effect (invariant
 * 8). A second delivery racing this one hits the primary key: its transaction
 * rolls back with a unique violation, which the webhook answers as a duplicate.
 */
export async function recordProcessed(tx: EntityManager, delivery: WebhookDelivery, now: Date): Promise<void> {
  await tx.insert(ProcessedWebhookEvent, { id: delivery.id, type: delivery.type, processedAt: now });
}
