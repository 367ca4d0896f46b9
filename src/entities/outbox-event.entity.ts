import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';
import { OutboxEventStatus } from './enums';

/**
 * An event written in the same transaction as the change it describes. The id is
 * the event id consumers dedup by; the relay delivers at least once.
 */
@Entity({ tableName: 'outbox_events' })
// The relay's claim and due check: PENDING events whose time has come.
@Index({ properties: ['status', 'nextAttemptAt'] })
// "Was this aggregate announced?" look-ups (the payout planner asks about `order.placed`).
@Index({ properties: ['type', 'aggregateId'] })
export class OutboxEvent {
  [OptionalProps]?: 'status' | 'createdAt' | 'deliveredAt' | 'attempts' | 'nextAttemptAt' | 'lastError';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 100 })
  type!: string;

  @Property({ type: 'string', length: 100 })
  aggregateId!: string;

  /** A database default too, so rows from before dead letters existed start PENDING (their migration marks the delivered ones). */
  @Property({ type: 'string', length: 16, default: OutboxEventStatus.PENDING })
  status: OutboxEventStatus = OutboxEventStatus.PENDING;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, nullable: true })
  deliveredAt: Date | null = null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: DateTimeType })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;
}
