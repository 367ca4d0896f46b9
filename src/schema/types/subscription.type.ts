import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SubscriptionPeriodStatus, SubscriptionStatus, type Subscription, type SubscriptionPeriod } from '../../entities';
import { PageInfo } from './common.type';

registerEnumType(SubscriptionStatus, {
  name: 'SubscriptionStatus',
  valuesConfig: {
    INCOMPLETE: { description: 'Its first order is not paid yet; no access. Expires unpaid after the checkout session TTL.' },
    INCOMPLETE_EXPIRED: { description: 'Never paid and given up; no access.' },
    PAST_DUE: { description: 'A renewal charge failed; retries are scheduled. Access continues until the grace period ends.' },
  },
});
registerEnumType(SubscriptionPeriodStatus, {
  name: 'SubscriptionPeriodStatus',
  valuesConfig: {
    OPEN: { description: 'Charge not yet attempted or awaiting the provider.' },
    UNCOLLECTIBLE: { description: 'Retries exhausted; never charged again.' },
    VOID: { description: 'Not owed: the subscription ended before this period started, or the period was refunded.' },
  },
});

/** One billing period; `order` is a field resolver reading `orderId`. */
@ObjectType('SubscriptionPeriod', { simpleResolvers: true })
export class SubscriptionPeriodType {
  @Field(() => ID) id!: string;
  @Field() periodStart!: Date;
  @Field() periodEnd!: Date;
  @Field(() => SubscriptionPeriodStatus) status!: SubscriptionPeriodStatus;
  @Field(() => Int) attemptCount!: number;
  @Field(() => Date, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) paidAt!: Date | null;

  orderId!: string | null;

  static from(period: SubscriptionPeriod): SubscriptionPeriodType {
    return Object.assign(new SubscriptionPeriodType(), {
      id: period.id,
      periodStart: period.periodStart,
      periodEnd: period.periodEnd,
      status: period.status,
      attemptCount: period.attemptCount,
      nextAttemptAt: period.nextAttemptAt,
      paidAt: period.paidAt,
      orderId: period.orderId,
    });
  }
}

/** A subscription as its owner or an admin sees it; plan, customer and periods are field resolvers (subscription.resolver.ts). */
@ObjectType('Subscription', { simpleResolvers: true })
export class SubscriptionType {
  @Field(() => ID) id!: string;
  @Field(() => SubscriptionStatus) status!: SubscriptionStatus;
  @Field({ description: 'True while the customer may use what the plan grants.' }) entitled!: boolean;
  @Field(() => Date, { nullable: true }) currentPeriodStart!: Date | null;
  @Field(() => Date, { nullable: true }) currentPeriodEnd!: Date | null;
  @Field() cancelAtPeriodEnd!: boolean;
  @Field(() => Date, { nullable: true }) canceledAt!: Date | null;
  @Field() createdAt!: Date;

  planVariantId!: string;
  customerId!: string;

  static from(subscription: Subscription): SubscriptionType {
    return Object.assign(new SubscriptionType(), {
      id: subscription.id,
      status: subscription.status,
      entitled: subscription.entitled,
      currentPeriodStart: subscription.currentPeriodStart,
      currentPeriodEnd: subscription.currentPeriodEnd,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      canceledAt: subscription.canceledAt,
      createdAt: subscription.createdAt,
      planVariantId: subscription.planVariantId,
      customerId: subscription.customerId,
    });
  }
}

@ObjectType('SubscriptionConnection', { simpleResolvers: true })
export class SubscriptionConnectionType {
  @Field(() => [SubscriptionType]) nodes!: SubscriptionType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;

  static of(nodes: SubscriptionType[], hasNextPage: boolean, endCursor: string | null): SubscriptionConnectionType {
    return Object.assign(new SubscriptionConnectionType(), { nodes, pageInfo: Object.assign(new PageInfo(), { hasNextPage, endCursor }) });
  }
}
