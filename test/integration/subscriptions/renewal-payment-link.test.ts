import type Stripe from 'stripe';
import {
  Order,
  OrderStatus,
  OutboxEvent,
  Payment,
  PaymentLink,
  PaymentLinkStatus,
  PaymentStatus,
  Refund,
  Subscription,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
} from '../../../src/entities';
import { settleOrderPayment } from '../../../src/services/payments/settlement/settle-order-payment';
import { openNextRenewal } from '../../../src/services/subscriptions/open-renewal';
import { RenewalService } from '../../../src/services/subscriptions/renewals';
import { buildActiveSubscription } from '../../factories/subscription.factory';
import { usePaymentsApp } from '../../support/payments-app';

const DAY_SECONDS = 60;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const CANCEL_NOW = `mutation($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { __typename ... on Subscription { status } } }`;

/**
 * A renewal whose card needed its holder is offered through a payment link
 * for the renewal order itself. Unlike a plain
 * link's order, that order is never cancelled or replaced by a click or an
 * expired session (only its session is), and money that arrives for a
 * subscription cancelled meanwhile is given back.
 */
describe("a renewal's payment link over time", () => {
  const h = usePaymentsApp({
    env: { BILLING_DAY_SECONDS: String(DAY_SECONDS), RENEWAL_RETRY_DAYS: '1,2', PUBLIC_URL: 'https://pay.tillgate.test' },
    webhooks: 'auto',
  });
  const fresh = () => h.app.orm.em.fork();
  const periodsOf = (subscriptionId: string) => fresh().find(SubscriptionPeriod, { subscriptionId }, { orderBy: { periodStart: 'asc' } });
  const paymentsOf = (orderId: string) => fresh().find(Payment, { orderId }, { orderBy: { createdAt: 'asc' } });
  const sessions = () => h.stripe.emulator.createdObjects('checkout.session') as Stripe.Checkout.Session[];
  const renewalRequests = (subscriptionId: string) => h.stripe.emulator.requests.filter((r) => r.idempotencyKey?.startsWith(`renewal:${subscriptionId}:`));
  const click = (token: string) => fetch(`${h.app.url}/pay/${token}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });

  /** Moves every payment row of the order back in time, keeping their order. */
  async function agePayments(orderId: string, minutes: number): Promise<void> {
    for (const payment of await paymentsOf(orderId)) {
      await fresh().nativeUpdate(Payment, { id: payment.id }, { createdAt: new Date(payment.createdAt.getTime() - minutes * 60_000) });
    }
  }

  /** An ACTIVE subscription whose renewal needed authentication: PAST_DUE, its renewal order offered through a link. */
  async function renewalAwaitingLink(price = 1_300) {
    const start = new Date();
    const renewals = new RenewalService(h.app.tillgate.deps);
    const { subscription } = await buildActiveSubscription(fresh(), { daySeconds: DAY_SECONDS, now: start, stripe: h.stripe.stripe, price });
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'authentication_required');
    await renewals.runRound(fresh(), start);
    const [, open] = await periodsOf(subscription.id);
    const order = await fresh().findOneOrFail(Order, open!.orderId!);
    const link = await fresh().findOneOrFail(PaymentLink, order.paymentLinkId!);
    return { start, renewals, subscription, period: open!, order, link };
  }

  /** Everything that says whether the period was paid once, by the one renewal order. */
  async function expectPaidOnce(subscriptionId: string, orderId: string, linkId: string, amount: number): Promise<void> {
    const [, period] = await periodsOf(subscriptionId);
    expect([period!.status, period!.orderId]).toEqual([SubscriptionPeriodStatus.PAID, orderId]);
    expect((await fresh().findOneOrFail(Order, orderId)).status).toBe(OrderStatus.PLACED);
    expect(await fresh().count(Order, { paymentLinkId: linkId })).toBe(1);
    const captured = (await paymentsOf(orderId)).filter((p) => p.status === PaymentStatus.CAPTURED).map((p) => p.captured);
    expect(captured).toEqual([amount]);
    const subscription = await fresh().findOneOrFail(Subscription, subscriptionId);
    expect([subscription.status, subscription.entitled, subscription.currentPeriodStart]).toEqual([SubscriptionStatus.ACTIVE, true, period!.periodStart]);
    expect((await fresh().findOneOrFail(PaymentLink, linkId)).status).toBe(PaymentLinkStatus.PAID);
  }

  it('when the link is clicked again after its session went stale, then the same renewal order gets a new session, the old one ends at Stripe first, and paying it renews the subscription', async () => {
    const { subscription, order, link } = await renewalAwaitingLink();
    expect((await click(link.token)).status).toBe(303);
    await agePayments(order.id, 31);

    const again = await click(link.token);

    expect(again.status).toBe(303);
    const [first, second] = sessions();
    expect([first!.status, second!.url]).toEqual(['expired', again.headers.get('location')]);
    expect(await fresh().count(Order, { paymentLinkId: link.id })).toBe(1);
    expect((await fresh().findOneOrFail(Order, order.id)).status).toBe(OrderStatus.PENDING_PAYMENT);
    // An answer about the replaced session (a webhook that asked Stripe before the click replaced it) ends nothing now.
    const { deps } = h.app.tillgate;
    const late = { providerReference: first!.id, paymentIntentId: null, status: 'CANCELLED' as const, amount: 1_300, currency: 'eur' };
    const settled = await settleOrderPayment({ ...deps, em: fresh(), payments: deps.payments! }, order.id, {
      ...late,
      expiresAt: null,
      clientSecret: null,
      savedPaymentMethodId: null,
    });
    expect(settled.kind).toBe('no-change');
    // The renewal's own row, the first session's, the second's.
    expect((await paymentsOf(order.id)).map((p) => p.status)).toEqual([PaymentStatus.CANCELLED, PaymentStatus.CANCELLED, PaymentStatus.PENDING]);

    await h.stripe.emulator.completeCheckoutSession(second!.id);
    await h.stripe.emulator.drainWebhooks();
    await expectPaidOnce(subscription.id, order.id, link.id, 1_300);
  });

  it('when Stripe cannot end the stale session, then the click opens no other one and changes nothing, and a later click does', async () => {
    const { order, link } = await renewalAwaitingLink();
    await click(link.token);
    await agePayments(order.id, 31);
    const [first] = sessions();
    h.stripe.emulator.faults.add({ path: `/v1/checkout/sessions/${first!.id}/expire`, times: 10, action: { kind: 'status', status: 503 } });
    const before = (await paymentsOf(order.id)).map((p) => [p.id, p.status]);

    expect((await click(link.token)).status).toBe(503);

    expect(sessions()).toHaveLength(1);
    expect((await paymentsOf(order.id)).map((p) => [p.id, p.status])).toEqual(before);
    h.stripe.emulator.faults.clear();
    expect((await click(link.token)).status).toBe(303);
    expect(sessions().map((s) => s.status)).toEqual(['expired', 'open']);
  });

  it('when the session expires unpaid, then the renewal order stays pending for its link, and the next click pays it', async () => {
    const { subscription, order, link } = await renewalAwaitingLink(900);
    await click(link.token);
    const [first] = sessions();

    await h.stripe.emulator.expireCheckoutSession(first!.id);
    await h.stripe.emulator.drainWebhooks();

    const [, period] = await periodsOf(subscription.id);
    expect([period!.status, (await fresh().findOneOrFail(Order, order.id)).status]).toEqual([SubscriptionPeriodStatus.OPEN, OrderStatus.PENDING_PAYMENT]);
    expect((await fresh().findOneOrFail(Subscription, subscription.id)).status).toBe(SubscriptionStatus.PAST_DUE);
    expect((await click(link.token)).status).toBe(303);
    const [, second] = sessions();
    await h.stripe.emulator.completeCheckoutSession(second!.id);
    await h.stripe.emulator.drainWebhooks();
    await expectPaidOnce(subscription.id, order.id, link.id, 900);
  });

  it('when the subscription is cancelled now while its link is out, then a click answers closed, the session paid anyway is given back, and the period is given up', async () => {
    const { start, renewals, subscription, order, link } = await renewalAwaitingLink();
    expect((await click(link.token)).status).toBe(303);
    const cancelled = await h.app.gql(CANCEL_NOW, { input: { subscriptionId: subscription.id, atPeriodEnd: false } }, { token: await h.app.adminToken() });
    expect(cancelled.data.cancelSubscription.status).toBe('CANCELED');

    expect((await click(link.token)).status).toBe(410);
    const [session] = sessions();
    await h.stripe.emulator.completeCheckoutSession(session!.id);
    await h.stripe.emulator.drainWebhooks();

    expect((await fresh().findOneOrFail(Order, order.id)).status).toBe(OrderStatus.CANCELLED);
    expect((h.stripe.emulator.createdObjects('refund') as Stripe.Refund[]).map((r) => r.amount)).toEqual([1_300]);
    expect(await fresh().count(OutboxEvent, { aggregateId: subscription.id, type: 'subscription.renewed' })).toBe(0);
    await renewals.runRound(fresh(), new Date(start.getTime() + DAY_SECONDS * 1000 + 1_000));
    const [, period] = await periodsOf(subscription.id);
    expect(period!.status).toBe(SubscriptionPeriodStatus.VOID);
    expect((await fresh().findOneOrFail(PaymentLink, link.id)).status).toBe(PaymentLinkStatus.CANCELLED);
    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled]).toEqual([SubscriptionStatus.CANCELED, false]);
    expect(await fresh().count(Order, { paymentLinkId: link.id })).toBe(1);
  });

  it('when the card needed authentication and the customer pays the link, then the webhook that places the order settles the period and the subscription at once, and nothing delivered again changes anything', async () => {
    const { start, renewals, subscription, period, order, link } = await renewalAwaitingLink();
    expect([period.status, (await fresh().findOneOrFail(Subscription, subscription.id)).status]).toEqual([
      SubscriptionPeriodStatus.OPEN,
      SubscriptionStatus.PAST_DUE,
    ]);

    expect((await click(link.token)).status).toBe(303);
    const [session] = sessions();
    await h.stripe.emulator.completeCheckoutSession(session!.id);
    await h.stripe.emulator.drainWebhooks();

    // No renewal round ran after the payment: the placing transaction settled the period.
    await expectPaidOnce(subscription.id, order.id, link.id, 1_300);
    const [, paid] = await periodsOf(subscription.id);
    expect([paid!.id, paid!.attemptCount, paid!.nextAttemptAt]).toEqual([period.id, 1, null]);
    expect(await fresh().count(Order, { subscriptionId: subscription.id })).toBe(2);
    const renewed = () => fresh().count(OutboxEvent, { aggregateId: subscription.id, type: 'subscription.renewed' });
    expect(await renewed()).toBe(1);

    // A round inside the paid period finds nothing to charge, and every webhook delivered again changes nothing.
    const requestsBefore = renewalRequests(subscription.id).length;
    await renewals.runRound(fresh(), new Date(start.getTime() + (DAY_SECONDS * 1000) / 2));
    for (const event of [...h.stripe.emulator.events].reverse()) expect(await h.stripe.emulator.deliverEvent(event.id)).toBe(200);
    expect(renewalRequests(subscription.id)).toHaveLength(requestsBefore);
    expect((await periodsOf(subscription.id)).map((p) => p.status)).toEqual([SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.PAID]);
    expect(await renewed()).toBe(1);
  });

  it('when a link is out for the renewal, then the retries never charge the card again, the last gives the period up and closes the link, and the session paid late is given back', async () => {
    const { start, renewals, subscription, order, link } = await renewalAwaitingLink();
    expect((await click(link.token)).status).toBe(303); // the holder opened the link's session and has not paid yet
    const asked = renewalRequests(subscription.id).length;

    for (let day = 1; day <= 4; day++) await renewals.runRound(fresh(), new Date(start.getTime() + day * DAY_SECONDS * 1000 + 1_000));

    expect(renewalRequests(subscription.id)).toHaveLength(asked);
    const [, givenUp] = await periodsOf(subscription.id);
    expect([givenUp!.status, (await fresh().findOneOrFail(Order, order.id)).status]).toEqual([SubscriptionPeriodStatus.UNCOLLECTIBLE, OrderStatus.CANCELLED]);
    expect((await fresh().findOneOrFail(Subscription, subscription.id)).entitled).toBe(false);
    expect((await fresh().findOneOrFail(PaymentLink, link.id)).status).toBe(PaymentLinkStatus.CANCELLED);
    expect((await click(link.token)).status).toBe(410);
    expect(await fresh().count(Order, { paymentLinkId: link.id })).toBe(1);

    const [session] = sessions();
    await h.stripe.emulator.completeCheckoutSession(session!.id);
    await h.stripe.emulator.drainWebhooks();
    expect((await fresh().findOneOrFail(Order, order.id)).status).toBe(OrderStatus.CANCELLED);
    expect((h.stripe.emulator.createdObjects('refund') as Stripe.Refund[]).map((refund) => refund.amount)).toEqual([1_300]);
  });

  it('when a renewal charge succeeds while the subscription is being cancelled now, then the period is given up and the charge refunded', async () => {
    const start = new Date();
    const { deps } = h.app.tillgate;
    const renewals = new RenewalService(deps);
    const { subscription } = await buildActiveSubscription(fresh(), { daySeconds: DAY_SECONDS, now: start, stripe: h.stripe.stripe, price: 1_100 });
    expect((await openNextRenewal(deps, fresh(), start)).kind).toBe('to-charge');
    // The worker leased the charge while the subscription was ACTIVE, and charges after the cancellation committed.
    const [charge] = await deps.db.transaction(fresh(), (uow) => deps.stores.renewals.claimDueCharges(uow, start, new Date(start.getTime() + 60_000), 5));
    const cancelled = await h.app.gql(CANCEL_NOW, { input: { subscriptionId: subscription.id, atPeriodEnd: false } }, { token: await h.app.adminToken() });
    expect(cancelled.data.cancelSubscription.status).toBe('CANCELED');

    expect(await renewals.charge(fresh(), charge!, start)).toBe('given_back');

    const [, period] = await periodsOf(subscription.id);
    expect([period!.status, (await fresh().findOneOrFail(Order, period!.orderId!)).status]).toEqual([SubscriptionPeriodStatus.VOID, OrderStatus.CANCELLED]);
    const charges = h.stripe.emulator.createdObjects('payment_intent') as Stripe.PaymentIntent[];
    const refunds = h.stripe.emulator.createdObjects('refund') as Stripe.Refund[];
    expect(refunds.map((r) => [r.amount, r.payment_intent])).toEqual([[1_100, charges.find((pi) => pi.metadata?.order_id === period!.orderId)!.id]]);
    expect(await fresh().count(Refund, { orderId: period!.orderId! })).toBe(1);
    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled]).toEqual([SubscriptionStatus.CANCELED, false]);
    expect(await fresh().count(OutboxEvent, { aggregateId: subscription.id, type: 'subscription.renewed' })).toBe(0);
  });
});
