import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A Stripe event already applied; recorded in the same transaction as its effect. */
@Entity({ tableName: 'processed_webhook_events' })
export class ProcessedWebhookEvent {
  [OptionalProps]?: 'processedAt';

  @PrimaryKey({ type: 'string', length: 255 })
  id!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  @Property({ type: DateTimeType })
  processedAt: Date = new Date();
}
