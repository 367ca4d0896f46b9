import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './columns';
import { SubscriptionPeriodStatus } from './enums';

/**
 * One billing period of a subscription and the order that bills it. The
 * unique (subscription, period start) makes a period, and so its renewal
 * order and charge, exist once however many processes renew at once.
 */
@Entity({ tableName: 'subscription_periods' })
@Unique({ properties: ['subscriptionId', 'periodStart'] })
// Declined renewals whose next attempt is due.
@Index({ properties: ['status', 'nextAttemptAt'] })
export class SubscriptionPeriod {
  [OptionalProps]?: 'status' | 'orderId' | 'attemptCount' | 'nextAttemptAt' | 'paidAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid' })
  subscriptionId!: string;

  @Property({ type: DateTimeType })
  periodStart!: Date;

  @Property({ type: DateTimeType })
  periodEnd!: Date;

  @Property({ type: 'string', length: 16 })
  status: SubscriptionPeriodStatus = SubscriptionPeriodStatus.OPEN;

  /** The checkout's order for the first period, the renewal order after. */
  @Property({ type: 'uuid', nullable: true, index: true })
  orderId: string | null = null;

  /** Charge attempts made so far; the next attempt's idempotency key carries attemptCount + 1. */
  @Property({ type: 'integer', default: 0 })
  attemptCount: number = 0;

  /** When a declined charge is tried again (RENEWAL_RETRY_DAYS); null when no retry is due. */
  @Property({ type: DateTimeType, nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: DateTimeType, nullable: true })
  paidAt: Date | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
