import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';
import { BillingInterval, SubscriptionStatus } from './enums';

/**
 * A customer's plan (a SUBSCRIPTION variant). `entitled` says whether the
 * customer may use what the plan grants; it follows money received, and only
 * the transaction that places a paid order for the plan sets it. The billing
 * terms are copied from the plan when it is bought, so a later change to the
 * plan never changes what a subscriber pays for.
 */
@Entity({ tableName: 'subscriptions' })
// The renewal worker's claim: live subscriptions whose period has ended.
@Index({ properties: ['status', 'currentPeriodEnd'] })
@Index({ properties: ['customerId', 'planVariantId'] })
// One place per customer and plan while a checkout is under way or the plan is live (subscription-store.ts).
@Index({
  name: 'subscriptions_one_live_per_plan',
  expression:
    "create unique index subscriptions_one_live_per_plan on subscriptions (customer_id, plan_variant_id) where status in ('INCOMPLETE', 'ACTIVE', 'PAST_DUE')",
})
@Index({ properties: ['createdAt', 'id'] })
export class Subscription {
  [OptionalProps]?:
    | 'status'
    | 'entitled'
    | 'currentPeriodStart'
    | 'currentPeriodEnd'
    | 'cancelAtPeriodEnd'
    | 'canceledAt'
    | 'anchor'
    | 'useCredit'
    | 'stripeCustomerId'
    | 'savedPaymentMethodId'
    | 'createdAt'
    | 'version';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid' })
  customerId!: string;

  /** The plan bought: a variant of kind SUBSCRIPTION. */
  @Property({ type: 'uuid', index: true })
  planVariantId!: string;

  @Property({ type: 'string', length: 32 })
  status: SubscriptionStatus = SubscriptionStatus.INCOMPLETE;

  @Property({ type: 'boolean', default: false })
  entitled: boolean = false;

  @Property({ type: 'string', length: 8 })
  billingInterval!: BillingInterval;

  @Property({ type: 'integer' })
  billingIntervalCount!: number;

  /** The paid period now running; null until the first one is paid. */
  @Property({ type: DateTimeType, nullable: true })
  currentPeriodStart: Date | null = null;

  @Property({ type: DateTimeType, nullable: true })
  currentPeriodEnd: Date | null = null;

  /** Asked to end when the paid period ends (no renewal order); resumeSubscription clears it before then. */
  @Property({ type: 'boolean', default: false })
  cancelAtPeriodEnd: boolean = false;

  @Property({ type: DateTimeType, nullable: true })
  canceledAt: Date | null = null;

  /** Where the periods are counted from (billing-time.ts): the start of the first paid period. */
  @Property({ type: DateTimeType, nullable: true })
  anchor: Date | null = null;

  /** Bought with store credit: each renewal spends the customer's credit first. */
  @Property({ type: 'boolean', default: false })
  useCredit: boolean = false;

  /** The Stripe Customer the saved card belongs to (cus_…); null for a plan paid by credit alone. */
  @Property({ type: 'string', length: 255, nullable: true })
  stripeCustomerId: string | null = null;

  /** The card Stripe saved at the first payment (pm_…, the id Stripe answered, not the buyer's token); renewals charge it off session. */
  @Property({ type: 'string', length: 255, nullable: true })
  savedPaymentMethodId: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  /** Optimistic-lock column: MikroORM increments it on every flushed change. */
  @Property({ version: true, type: 'integer' })
  version: number = 1;
}
