import type { EntityManager } from '../../db/orm';
import { Subscription, SubscriptionPeriod, SubscriptionPeriodStatus, SubscriptionStatus } from '../../entities';
import { recordEvent } from '../outbox/outbox';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure, type Failure } from '../shared/outcome';
import { transition } from '../state/transition';

/**
 * Money came in for a renewal of a subscription that ended meanwhile (cancelled
 * now): it buys nothing. Settling aborts with this failure, its transaction
 * rolls back, and whoever settled gives the money back: the payment webhook
 * (settle-order-payment.ts reads this code) or the renewal worker.
 */
export const subscriptionEnded = (): Failure =>
  userFailure(ErrorCode.INVALID_STATE_TRANSITION, 'The subscription ended before this renewal was paid.', 'subscriptionId');

export const isSubscriptionEnded = (failure: Failure | undefined): boolean =>
  failure?.kind === 'user' && failure.code === ErrorCode.INVALID_STATE_TRANSITION && failure.field === 'subscriptionId';

/** A renewal period whose order's money is in, and the attempt that paid it (0: store credit, no charge). */
export interface RenewedPeriod {
  subscriptionId: string;
  periodId: string;
  periodStart: Date;
  periodEnd: Date;
  orderId: string;
  attempt: number;
  now: Date;
}

/** The period PAID, guarded on OPEN: false when another process or an earlier delivery of the same answer settled it. */
export async function markRenewalPaid(tx: EntityManager, renewed: RenewedPeriod): Promise<boolean> {
  const moved = await transition(tx, SubscriptionPeriod, renewed.periodId, SubscriptionPeriodStatus.OPEN, SubscriptionPeriodStatus.PAID, {
    paidAt: renewed.now,
    nextAttemptAt: null,
    attemptCount: renewed.attempt,
  });
  return moved === 1;
}

/**
 * The live subscription ACTIVE and entitled on its newly paid period (PAST_DUE
 * recovers), `subscription.renewed`. Guarded on live, in the transaction that
 * marked the period paid: a subscription that ended meanwhile aborts it
 * (`subscriptionEnded`), so no renewal of an ended subscription is ever kept.
 */
export async function advanceOntoRenewal(tx: EntityManager, renewed: RenewedPeriod): Promise<void> {
  const { subscriptionId, orderId, periodStart, periodEnd } = renewed;
  const moved = await transition(tx, Subscription, subscriptionId, [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE], SubscriptionStatus.ACTIVE, {
    entitled: true,
    currentPeriodStart: periodStart,
    currentPeriodEnd: periodEnd,
  });
  if (moved !== 1) abortWith(subscriptionEnded());
  recordEvent(tx, {
    type: 'subscription.renewed',
    aggregateId: subscriptionId,
    payload: { subscriptionId, orderId, periodStart: periodStart.toISOString(), periodEnd: periodEnd.toISOString() },
  });
}

/**
 * A renewal order placed through another route than the renewal worker (its
 * payment link's webhook): the period and the subscription follow in the
 * transaction that places it, so access never waits for the next round.
 */
export async function settleRenewalPeriod(tx: EntityManager, renewed: RenewedPeriod): Promise<boolean> {
  if (!(await markRenewalPaid(tx, renewed))) return false;
  await advanceOntoRenewal(tx, renewed);
  return true;
}
