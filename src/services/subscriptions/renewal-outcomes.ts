import type { Stores } from '../../db/stores';
import type { DueCharge } from '../../db/stores/renewal-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import {
  LIVE_SUBSCRIPTION_STATUSES,
  Order,
  OrderStatus,
  Payment,
  PaymentLink,
  PaymentLinkStatus,
  PaymentMethodKind,
  PaymentStatus,
  Subscription,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
} from '../../entities';
import { cancelOrderAndRestore } from '../orders/cancel-and-restore';
import { recordEvent } from '../outbox/outbox';
import { newPaymentLinkToken, paymentLinkUrl } from '../payment-links/payment-link-admin.service';
import { transition } from '../state/transition';

/**
 * The period's attempt `attempt` answered (declined, or needs the customer):
 * recorded once, guarded by the attempt count the charge was made with, so a
 * second process or a second run with the same answer changes nothing. Answers
 * whether this call recorded it.
 */
async function recordAttempt(uow: UnitOfWork, charge: DueCharge, attempt: number, nextAttemptAt: Date | null): Promise<boolean> {
  const moved = await transition(
    uow.em,
    SubscriptionPeriod,
    { id: charge.periodId, attemptCount: attempt - 1 },
    SubscriptionPeriodStatus.OPEN,
    SubscriptionPeriodStatus.OPEN,
    { attemptCount: attempt, nextAttemptAt },
  );
  if (moved !== 1) return false;
  // Access continues while retries are scheduled: PAST_DUE keeps `entitled`.
  await transition(uow.em, Subscription, charge.subscriptionId, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE);
  return true;
}

/** A declined attempt with a retry left: PAST_DUE, the period OPEN until `retryAt`, `subscription.past_due`. */
export async function recordDecline(uow: UnitOfWork, charge: DueCharge, attempt: number, retryAt: Date, code: string): Promise<boolean> {
  if (!(await recordAttempt(uow, charge, attempt, retryAt))) return false;
  recordEvent(uow.em, {
    type: 'subscription.past_due',
    aggregateId: charge.subscriptionId,
    payload: { subscriptionId: charge.subscriptionId, orderId: charge.orderId, attempt, declineCode: code, nextAttemptAt: retryAt.toISOString() },
  });
  return true;
}

/**
 * The last retry declined (or the subscription ended while its period was
 * open): the period UNCOLLECTIBLE (VOID when nothing was owed any more), the
 * renewal order CANCELLED with its credit given back, its payment link (if
 * one was offered) CANCELLED so no click opens another session, the
 * subscription CANCELED without access, `subscription.canceled`. Safe to run twice.
 */
export async function giveUpPeriod(
  uow: UnitOfWork,
  stores: Pick<Stores, 'stock' | 'licenses' | 'vouchers'>,
  charge: DueCharge,
  attempts: number,
  now: Date,
): Promise<boolean> {
  const owed = LIVE_SUBSCRIPTION_STATUSES.includes(charge.subscriptionStatus);
  const to = owed ? SubscriptionPeriodStatus.UNCOLLECTIBLE : SubscriptionPeriodStatus.VOID;
  const moved = await transition(uow.em, SubscriptionPeriod, charge.periodId, SubscriptionPeriodStatus.OPEN, to, {
    attemptCount: attempts,
    nextAttemptAt: null,
  });
  if (moved !== 1) return false;
  const reason = owed ? 'renewal uncollectible: every retry declined' : 'subscription ended before its renewal was paid';
  await cancelOrderAndRestore(
    uow,
    stores,
    { id: charge.orderId, cartId: null, digitalUnits: 0, subscriptionId: null },
    OrderStatus.PENDING_PAYMENT,
    reason,
    now,
  );
  if (charge.paymentLinkId) await transition(uow.em, PaymentLink, charge.paymentLinkId, PaymentLinkStatus.OPEN, PaymentLinkStatus.CANCELLED);
  const ended = await transition(uow.em, Subscription, charge.subscriptionId, LIVE_SUBSCRIPTION_STATUSES, SubscriptionStatus.CANCELED, {
    entitled: false,
    canceledAt: now,
  });
  if (ended === 1) {
    recordEvent(uow.em, {
      type: 'subscription.canceled',
      aggregateId: charge.subscriptionId,
      payload: { subscriptionId: charge.subscriptionId, orderId: charge.orderId, reason: 'renewal_uncollectible' },
    });
  }
  return true;
}

/**
 * The card needs its holder (authentication_required): the attempt is
 * recorded like a decline (PAST_DUE, retries scheduled), and the customer
 * gets a payment link for the renewal order itself, so paying it places that
 * very order and a later retry finds it placed instead of charging again.
 * The stuck PaymentIntent was cancelled at the provider before this runs.
 */
export async function offerPaymentLink(
  uow: UnitOfWork,
  charge: DueCharge,
  attempt: number,
  retryAt: Date | null,
  publicUrl: string,
  now: Date,
): Promise<boolean> {
  if (!(await recordAttempt(uow, charge, attempt, retryAt))) return false;
  const link = uow.em.create(PaymentLink, {
    token: newPaymentLinkToken(),
    email: charge.email,
    customerId: charge.customerId,
    description: `Renewal of subscription ${charge.subscriptionId} from ${charge.periodStart.toISOString()}`,
    amount: charge.amountDue,
    currency: charge.currency,
    createdAt: now,
  });
  uow.em.persist(link);
  await uow.em.flush();
  await uow.em.nativeUpdate(Order, { id: charge.orderId }, { paymentLinkId: link.id });
  // The link pays through a Checkout Session: its webhook settles only a hosted payment (awaitsProvider), so the row says so.
  await uow.em.nativeUpdate(Payment, { orderId: charge.orderId, status: PaymentStatus.PENDING }, { kind: PaymentMethodKind.HOSTED_CHECKOUT });
  recordEvent(uow.em, {
    type: 'subscription.payment_action_required',
    aggregateId: charge.subscriptionId,
    payload: { subscriptionId: charge.subscriptionId, orderId: charge.orderId, paymentLinkId: link.id, url: paymentLinkUrl(publicUrl, link.token) },
  });
  return true;
}
