import type Stripe from 'stripe';
import {
  Order,
  OrderStatus,
  OutboxEvent,
  Payment,
  PaymentLink,
  PaymentLinkStatus,
  PaymentStatus,
  Subscription,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
} from '../../../src/entities';
import { RenewalService } from '../../../src/services/subscriptions/renewals';
import { buildActiveSubscription } from '../../factories/subscription.factory';
import { usePaymentsApp } from '../../support/payments-app';

const DAY_SECONDS = 60;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

describe('a renewal paid through its payment link', () => {
  const h = usePaymentsApp({
    env: { BILLING_DAY_SECONDS: String(DAY_SECONDS), RENEWAL_RETRY_DAYS: '1,2', PUBLIC_URL: 'https://pay.tillgate.test' },
    webhooks: 'auto',
  });
  const fresh = () => h.app.orm.em.fork();
  const periodsOf = (subscriptionId: string) => fresh().find(SubscriptionPeriod, { subscriptionId }, { orderBy: { periodStart: 'asc' } });
  const renewalRequests = (subscriptionId: string) => h.stripe.emulator.requests.filter((r) => r.idempotencyKey?.startsWith(`renewal:${subscriptionId}:`));

  it('when the card needed authentication and the customer pays the link, then the webhook that places the order settles the period and the subscription at once', async () => {
    const start = new Date();
    const renewals = new RenewalService(h.app.tillgate.deps);
    const { subscription } = await buildActiveSubscription(fresh(), { daySeconds: DAY_SECONDS, now: start, stripe: h.stripe.stripe, price: 1_300 });
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'authentication_required');
    await renewals.runRound(fresh(), start);
    const [, open] = await periodsOf(subscription.id);
    const order = await fresh().findOneOrFail(Order, open!.orderId!);
    const link = await fresh().findOneOrFail(PaymentLink, order.paymentLinkId!);
    expect([open!.status, (await fresh().findOneOrFail(Subscription, subscription.id)).status]).toEqual([
      SubscriptionPeriodStatus.OPEN,
      SubscriptionStatus.PAST_DUE,
    ]);

    const click = await fetch(`${h.app.url}/pay/${link.token}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    expect(click.status).toBe(303);
    const [session] = h.stripe.emulator.createdObjects('checkout.session') as Stripe.Checkout.Session[];
    await h.stripe.emulator.completeCheckoutSession(session!.id);
    await h.stripe.emulator.drainWebhooks();

    // No renewal round ran after the payment: the placing transaction settled the period.
    const [, paid] = await periodsOf(subscription.id);
    expect([paid!.id, paid!.status, paid!.attemptCount, paid!.nextAttemptAt]).toEqual([open!.id, SubscriptionPeriodStatus.PAID, 1, null]);
    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled, after.currentPeriodStart, after.currentPeriodEnd]).toEqual([
      SubscriptionStatus.ACTIVE,
      true,
      paid!.periodStart,
      paid!.periodEnd,
    ]);
    const placed = await fresh().findOneOrFail(Order, order.id);
    const payments = await fresh().find(Payment, { orderId: order.id, status: PaymentStatus.CAPTURED });
    expect([placed.status, payments.map((p) => p.captured)]).toEqual([OrderStatus.PLACED, [1_300]]);
    expect((await fresh().findOneOrFail(PaymentLink, link.id)).status).toBe(PaymentLinkStatus.PAID);
    expect(await fresh().count(Order, { subscriptionId: subscription.id })).toBe(2);
    expect(await fresh().count(OutboxEvent, { aggregateId: subscription.id, type: 'subscription.renewed' })).toBe(1);

    // A round inside the paid period finds nothing to charge, and every webhook delivered again changes nothing.
    const requestsBefore = renewalRequests(subscription.id).length;
    await renewals.runRound(fresh(), new Date(start.getTime() + (DAY_SECONDS * 1000) / 2));
    for (const event of [...h.stripe.emulator.events].reverse()) expect(await h.stripe.emulator.deliverEvent(event.id)).toBe(200);
    expect(renewalRequests(subscription.id)).toHaveLength(requestsBefore);
    expect((await periodsOf(subscription.id)).map((p) => p.status)).toEqual([SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.PAID]);
    expect(await fresh().count(OutboxEvent, { aggregateId: subscription.id, type: 'subscription.renewed' })).toBe(1);
  });

  it('when a payment link is out for the renewal, then the retries never charge the card again, the last gives the period up, and the link paid late is given back', async () => {
    const start = new Date();
    const renewals = new RenewalService(h.app.tillgate.deps);
    const { subscription } = await buildActiveSubscription(fresh(), { daySeconds: DAY_SECONDS, now: start, stripe: h.stripe.stripe, price: 1_300 });
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'authentication_required');
    await renewals.runRound(fresh(), start);
    const [, open] = await periodsOf(subscription.id);
    const order = await fresh().findOneOrFail(Order, open!.orderId!);
    const link = await fresh().findOneOrFail(PaymentLink, order.paymentLinkId!);
    const click = await fetch(`${h.app.url}/pay/${link.token}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    expect(click.status).toBe(303); // the holder opened the link's session and has not paid yet
    const asked = renewalRequests(subscription.id).length;

    for (let day = 1; day <= 4; day++) await renewals.runRound(fresh(), new Date(start.getTime() + day * DAY_SECONDS * 1000 + 1_000));

    expect(renewalRequests(subscription.id)).toHaveLength(asked);
    const [, givenUp] = await periodsOf(subscription.id);
    expect([givenUp!.status, (await fresh().findOneOrFail(Order, order.id)).status]).toEqual([SubscriptionPeriodStatus.UNCOLLECTIBLE, OrderStatus.CANCELLED]);
    expect((await fresh().findOneOrFail(Subscription, subscription.id)).entitled).toBe(false);

    const [session] = h.stripe.emulator.createdObjects('checkout.session') as Stripe.Checkout.Session[];
    await h.stripe.emulator.completeCheckoutSession(session!.id);
    await h.stripe.emulator.drainWebhooks();
    expect((await fresh().findOneOrFail(Order, order.id)).status).toBe(OrderStatus.CANCELLED);
    const refunds = h.stripe.emulator.createdObjects('refund') as Stripe.Refund[];
    expect(refunds.map((refund) => refund.amount)).toEqual([1_300]);
  });
});
