import { LIVE_SUBSCRIPTION_STATUSES, Subscription, SubscriptionPeriod, SubscriptionStatus, type BillingInterval } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';

/** A plan's checkout: the subscription it starts (INCOMPLETE) and the first period its order bills. */
export interface StartingSubscription {
  id: string;
  customerId: string;
  planVariantId: string;
  billingInterval: BillingInterval;
  billingIntervalCount: number;
  useCredit: boolean;
  stripeCustomerId: string | null;
  firstPeriod: { id: string; orderId: string; start: Date; end: Date };
  now: Date;
}

/** Statuses that hold a customer's one place on a plan: a checkout under way (INCOMPLETE) or a live subscription. */
export const PLACE_HOLDING_STATUSES = [SubscriptionStatus.INCOMPLETE, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE] as const;

/**
 * Subscriptions as a plan's checkout writes them. One customer holds at most
 * one subscription per plan in PLACE_HOLDING_STATUSES: a partial unique index
 * (subscription.entity.ts) decides, so two concurrent checkouts of one plan by
 * one customer never both start one.
 */
export interface SubscriptionStore {
  /**
   * Inserts the subscription INCOMPLETE (not entitled) with its first period
   * OPEN, naming the order. When the customer already holds the plan, nothing
   * is written and the holder's status is answered (on PostgreSQL a
   * concurrent checkout's insert waits for the first to end, then answers its
   * status, or inserts if it rolled back).
   */
  start(uow: UnitOfWork, subscription: StartingSubscription): Promise<'started' | SubscriptionStatus>;

  /** Whether the customer holds the plan live (ACTIVE or PAST_DUE): a checkout of it is refused before anything is held. */
  holdsLive(uow: UnitOfWork, customerId: string, planVariantId: string): Promise<boolean>;
}

/** Both dialects run the same statements (`on conflict do nothing` names no target, so the partial index is the arbiter). */
export class SqlSubscriptionStore implements SubscriptionStore {
  async start(uow: UnitOfWork, subscription: StartingSubscription): Promise<'started' | SubscriptionStatus> {
    const { firstPeriod, now } = subscription;
    const result = await uow.em
      .createQueryBuilder(Subscription)
      .insert({
        id: subscription.id,
        customerId: subscription.customerId,
        planVariantId: subscription.planVariantId,
        status: SubscriptionStatus.INCOMPLETE,
        entitled: false,
        billingInterval: subscription.billingInterval,
        billingIntervalCount: subscription.billingIntervalCount,
        useCredit: subscription.useCredit,
        stripeCustomerId: subscription.stripeCustomerId,
        createdAt: now,
      })
      .onConflict()
      .ignore()
      .execute('run');
    if (((result as { affectedRows?: number }).affectedRows ?? 0) === 0) {
      const holder = await uow.em.findOne(
        Subscription,
        { customerId: subscription.customerId, planVariantId: subscription.planVariantId, status: { $in: [...PLACE_HOLDING_STATUSES] } },
        { fields: ['status'] },
      );
      // The holder ended between the insert and this read: the caller answers as for a checkout under way.
      return holder?.status ?? SubscriptionStatus.INCOMPLETE;
    }
    uow.defer(SubscriptionPeriod, {
      id: firstPeriod.id,
      subscriptionId: subscription.id,
      periodStart: firstPeriod.start,
      periodEnd: firstPeriod.end,
      orderId: firstPeriod.orderId,
      createdAt: now,
    });
    return 'started';
  }

  async holdsLive(uow: UnitOfWork, customerId: string, planVariantId: string): Promise<boolean> {
    return (await uow.em.count(Subscription, { customerId, planVariantId, status: { $in: [...LIVE_SUBSCRIPTION_STATUSES] } })) > 0;
  }
}
