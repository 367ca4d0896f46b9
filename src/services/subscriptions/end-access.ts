import type { EntityManager } from '../../db/orm';
import { LIVE_SUBSCRIPTION_STATUSES, Subscription, SubscriptionPeriod, SubscriptionPeriodStatus, SubscriptionStatus } from '../../entities';
import { recordEvent } from '../outbox/outbox';
import { transition } from '../state/transition';

/**
 * Ends a live subscription's access now: CANCELED, not entitled, with outbox
 * `subscription.canceled`. `refundedOrderId` names an order whose money went
 * back (a full refund, a cancelled placed order): the period it billed is
 * then VOID, not owed. False when the subscription was not live (a lost race,
 * or ended already): nothing written.
 */
export async function endAccessNow(
  tx: EntityManager,
  subscriptionId: string,
  reason: string,
  now: Date,
  refundedOrderId: string | null = null,
): Promise<boolean> {
  const moved = await transition(tx, Subscription, subscriptionId, LIVE_SUBSCRIPTION_STATUSES, SubscriptionStatus.CANCELED, {
    entitled: false,
    canceledAt: now,
    cancelAtPeriodEnd: false,
  });
  if (moved !== 1) return false;
  if (refundedOrderId) {
    await transition(tx, SubscriptionPeriod, { subscriptionId, orderId: refundedOrderId }, SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.VOID);
  }
  recordEvent(tx, { type: 'subscription.canceled', aggregateId: subscriptionId, payload: { subscriptionId, reason, atPeriodEnd: false } });
  return true;
}

/**
 * The money for a subscription's order went back in full (refund
 * settlement): the period it billed is not owed (VOID), and when that is the
 * period now running, access ends now. An earlier period's refund leaves the
 * paid current period alone.
 */
export async function endAccessForRefundedOrder(tx: EntityManager, subscriptionId: string, orderId: string, now: Date): Promise<void> {
  const period = await tx.findOne(SubscriptionPeriod, { subscriptionId, orderId }, { fields: ['periodStart'] });
  const subscription = await tx.findOne(Subscription, { id: subscriptionId }, { fields: ['currentPeriodStart'] });
  if (!period || !subscription) return;
  if (subscription.currentPeriodStart?.getTime() === period.periodStart.getTime()) {
    if (await endAccessNow(tx, subscriptionId, 'current period refunded', now, orderId)) return;
  }
  await transition(tx, SubscriptionPeriod, { subscriptionId, orderId }, SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.VOID);
}
