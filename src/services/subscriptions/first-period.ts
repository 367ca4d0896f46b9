import type { EntityManager } from '../../db/orm';
import type { UnitOfWork } from '../../db/unit-of-work';
import { Subscription, SubscriptionPeriod, SubscriptionPeriodStatus, SubscriptionStatus } from '../../entities';
import { recordEvent } from '../outbox/outbox';
import { transition } from '../state/transition';
import { settleRenewalPeriod } from './renewal-period';

/** What the placing transaction knows about the plan's card: the provider customer and the card Stripe saved, when paid by card. */
export interface SavedCard {
  stripeCustomerId?: string | null;
  savedPaymentMethodId?: string | null;
}

/**
 * The subscription's first order is placed with its money in (place-order.ts
 * refuses it otherwise): INCOMPLETE → ACTIVE and entitled, anchored at its
 * first period, which becomes PAID; the saved card is kept for renewals;
 * outbox `subscription.activated`. Runs only in the transaction that places
 * the order. A live subscription whose order renews it (its payment link was
 * paid) has that period settled here too, in the same transaction
 * (renewal-period.ts); any other subscription is left alone: false.
 */
export async function activateSubscription(uow: UnitOfWork, subscriptionId: string, orderId: string, card: SavedCard, now: Date): Promise<boolean> {
  const tx = uow.em;
  // A checkout settled in this transaction wrote the period a moment ago (deferred with its order).
  await uow.readable(SubscriptionPeriod);
  const period = await tx.findOne(SubscriptionPeriod, { subscriptionId, orderId }, { fields: ['id', 'periodStart', 'periodEnd', 'status', 'attemptCount'] });
  if (!period) throw new Error(`subscription ${subscriptionId} has no period for order ${orderId}`);
  const moved = await transition(tx, Subscription, subscriptionId, SubscriptionStatus.INCOMPLETE, SubscriptionStatus.ACTIVE, {
    entitled: true,
    anchor: period.periodStart,
    currentPeriodStart: period.periodStart,
    currentPeriodEnd: period.periodEnd,
    ...(card.stripeCustomerId ? { stripeCustomerId: card.stripeCustomerId } : {}),
    ...(card.savedPaymentMethodId ? { savedPaymentMethodId: card.savedPaymentMethodId } : {}),
  });
  if (moved !== 1) {
    if (period.status !== SubscriptionPeriodStatus.OPEN) return false;
    const { id: periodId, periodStart, periodEnd, attemptCount: attempt } = period;
    return settleRenewalPeriod(tx, { subscriptionId, periodId, periodStart, periodEnd, orderId, attempt, now });
  }
  await transition(tx, SubscriptionPeriod, period.id, SubscriptionPeriodStatus.OPEN, SubscriptionPeriodStatus.PAID, { paidAt: now });
  recordEvent(tx, {
    type: 'subscription.activated',
    aggregateId: subscriptionId,
    payload: { subscriptionId, orderId, currentPeriodStart: period.periodStart.toISOString(), currentPeriodEnd: period.periodEnd.toISOString() },
  });
  return true;
}

/**
 * The first order of a subscription was cancelled unpaid (a failed or
 * abandoned payment, a compensation, a cancellation): INCOMPLETE →
 * INCOMPLETE_EXPIRED and its first period VOID, in the transaction that gives
 * back the order's stock, voucher and credit. It is never renewed. A
 * subscription past INCOMPLETE is left alone.
 */
export async function expireUnpaidSubscription(tx: EntityManager, subscriptionId: string, orderId: string): Promise<void> {
  const expired = await transition(tx, Subscription, subscriptionId, SubscriptionStatus.INCOMPLETE, SubscriptionStatus.INCOMPLETE_EXPIRED);
  if (expired === 1) await transition(tx, SubscriptionPeriod, { subscriptionId, orderId }, SubscriptionPeriodStatus.OPEN, SubscriptionPeriodStatus.VOID);
}
