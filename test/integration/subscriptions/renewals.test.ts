import type Stripe from 'stripe';
import type { EntityManager } from '../../../src/db/orm';
import {
  CreditLedgerEntry,
  Order,
  OrderStatus,
  OutboxEvent,
  Payment,
  PaymentLink,
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
const DAY_MS = DAY_SECONDS * 1000;
/** SAGA_RECOVERY_GRACE below: how long a charge's lease lasts. */
const LEASE_MS = 30_000;

describe('subscription renewals', () => {
  const h = usePaymentsApp({ env: { BILLING_DAY_SECONDS: String(DAY_SECONDS), RENEWAL_RETRY_DAYS: '1,2', SAGA_RECOVERY_GRACE: '30s' } });
  let em: EntityManager;
  let renewals: RenewalService;
  const start = new Date();

  beforeAll(() => {
    renewals = new RenewalService(h.app.tillgate.deps);
  });
  beforeEach(() => {
    em = h.app.orm.em.fork();
  });

  const round = (at: Date) => renewals.runRound(h.app.orm.em.fork(), at);
  const later = (ms: number) => new Date(start.getTime() + ms);
  const fresh = () => h.app.orm.em.fork();
  const balanceOf = (customerId: string) => h.app.tillgate.deps.stores.credit.balance(h.app.tillgate.deps.db.unitOfWork(fresh()), customerId, 'EUR');
  const periodsOf = (subscriptionId: string) => fresh().find(SubscriptionPeriod, { subscriptionId }, { orderBy: { periodStart: 'asc' } });
  const eventsOf = async (subscriptionId: string) =>
    (await fresh().find(OutboxEvent, { aggregateId: subscriptionId }, { orderBy: { createdAt: 'asc' } })).map((e) => e.type);
  /** The renewal charges of a subscription at the emulator (its first, card-saving payment carries no subscription metadata). */
  const offSessionIntents = (subscriptionId: string): Stripe.PaymentIntent[] =>
    h.stripe.emulator.createdObjects('payment_intent').filter((pi: Stripe.PaymentIntent) => pi.metadata.subscription_id === subscriptionId);
  /** The renewal charge requests of a subscription, as the emulator answered them (a declined charge creates no effective object). */
  const renewalRequests = (subscriptionId: string) =>
    h.stripe.emulator.requests
      .filter((r) => r.idempotencyKey?.startsWith(`renewal:${subscriptionId}:`))
      .map((r) => [r.idempotencyKey!.split(':').pop(), r.status]);
  const succeededCharges = (subscriptionId: string) => offSessionIntents(subscriptionId).filter((pi) => pi.status === 'succeeded');
  const paidSubscription = (overrides: Partial<Parameters<typeof buildActiveSubscription>[1]> = {}) =>
    buildActiveSubscription(em, { daySeconds: DAY_SECONDS, now: start, stripe: h.stripe.stripe, ...overrides });

  it('when a period ends and the saved card pays, then the next period is PAID once, its order PLACED and the subscription ACTIVE on it', async () => {
    const { subscription, firstPeriod } = await paidSubscription({ price: 1_500 });

    await round(start);
    await round(start);

    const periods = await periodsOf(subscription.id);
    expect(periods.map((p) => [p.status, p.attemptCount])).toEqual([
      [SubscriptionPeriodStatus.PAID, 1],
      [SubscriptionPeriodStatus.PAID, 1],
    ]);
    expect(periods[1]!.periodStart).toEqual(firstPeriod.periodEnd);
    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled, after.currentPeriodStart, after.currentPeriodEnd]).toEqual([
      SubscriptionStatus.ACTIVE,
      true,
      periods[1]!.periodStart,
      periods[1]!.periodEnd,
    ]);
    const order = await fresh().findOneOrFail(Order, periods[1]!.orderId!);
    expect([order.status, order.subscriptionId, order.total, order.amountDue]).toEqual([OrderStatus.PLACED, subscription.id, 1_500, 1_500]);
    const payment = await fresh().findOneOrFail(Payment, { orderId: order.id });
    const charges = succeededCharges(subscription.id);
    expect(charges.map((pi) => pi.amount)).toEqual([1_500]);
    expect([payment.status, payment.captured, payment.providerReference]).toEqual([PaymentStatus.CAPTURED, 1_500, charges[0]!.id]);
    const keys = h.stripe.emulator.requests
      .filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey?.startsWith('renewal:'))
      .map((r) => r.idempotencyKey);
    expect(keys).toEqual([`renewal:${subscription.id}:${periods[1]!.periodStart.toISOString()}:1`]);
    expect(await eventsOf(subscription.id)).toEqual(['subscription.renewed']);
  });

  it('when the renewal is declined, then the subscription is PAST_DUE and entitled, and the retry a billing day later makes it ACTIVE', async () => {
    const { subscription } = await paidSubscription();
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'card_declined');

    await round(start);
    const pastDue = await fresh().findOneOrFail(Subscription, subscription.id);
    const [, open] = await periodsOf(subscription.id);
    await round(later(DAY_MS / 2));
    const chargesBeforeRetry = renewalRequests(subscription.id).length;
    await round(later(DAY_MS + 1_000));

    expect([pastDue.status, pastDue.entitled]).toEqual([SubscriptionStatus.PAST_DUE, true]);
    expect([open!.status, open!.attemptCount, open!.nextAttemptAt!.getTime()]).toEqual([SubscriptionPeriodStatus.OPEN, 1, open!.createdAt.getTime() + DAY_MS]);
    expect(chargesBeforeRetry).toBe(1);
    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled]).toEqual([SubscriptionStatus.ACTIVE, true]);
    expect((await periodsOf(subscription.id)).map((p) => [p.status, p.attemptCount])).toEqual([
      [SubscriptionPeriodStatus.PAID, 1],
      [SubscriptionPeriodStatus.PAID, 2],
    ]);
    expect(succeededCharges(subscription.id)).toHaveLength(1);
    expect(await eventsOf(subscription.id)).toEqual(['subscription.past_due', 'subscription.renewed']);
  });

  it('when every retry is declined, then the period is UNCOLLECTIBLE, the subscription CANCELED without access, and the credit it spent is back', async () => {
    const { subscription, customer } = await paidSubscription({ price: 2_000, useCredit: true, credit: 500 });
    const decline = () => h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'card_declined');

    decline();
    await round(start);
    const balanceWhileOpen = await balanceOf(customer.id);
    decline();
    await round(later(DAY_MS + 1_000));
    decline();
    await round(later(2 * DAY_MS + 1_000));
    await round(later(3 * DAY_MS + 1_000));

    expect(balanceWhileOpen).toBe(0);
    const [, period] = await periodsOf(subscription.id);
    expect([period!.status, period!.attemptCount, period!.nextAttemptAt]).toEqual([SubscriptionPeriodStatus.UNCOLLECTIBLE, 3, null]);
    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled]).toEqual([SubscriptionStatus.CANCELED, false]);
    const order = await fresh().findOneOrFail(Order, period!.orderId!);
    expect([order.status, order.creditApplied, order.amountDue]).toEqual([OrderStatus.CANCELLED, 500, 1_500]);
    expect(await balanceOf(customer.id)).toBe(500);
    expect(renewalRequests(subscription.id)).toEqual([
      ['1', 402],
      ['2', 402],
      ['3', 402],
    ]);
    expect(succeededCharges(subscription.id)).toHaveLength(0);
    expect(await eventsOf(subscription.id)).toEqual(['subscription.past_due', 'subscription.past_due', 'subscription.canceled']);
  });

  it('when store credit covers the renewal, then the period is PAID and the order PLACED in one round, and no request reaches the emulator', async () => {
    const { subscription, customer } = await buildActiveSubscription(em, { daySeconds: DAY_SECONDS, now: start, price: 900, useCredit: true, credit: 1_000 });
    const requestsBefore = h.stripe.emulator.requests.length;

    await round(start);

    expect(h.stripe.emulator.requests.length).toBe(requestsBefore);
    const [, period] = await periodsOf(subscription.id);
    expect(period!.status).toBe(SubscriptionPeriodStatus.PAID);
    const order = await fresh().findOneOrFail(Order, period!.orderId!);
    expect([order.status, order.creditApplied, order.amountDue]).toEqual([OrderStatus.PLACED, 900, 0]);
    expect(await balanceOf(customer.id)).toBe(100);
    expect((await fresh().findOneOrFail(Subscription, subscription.id)).currentPeriodEnd).toEqual(period!.periodEnd);
  });

  it('when the charge answer is lost, then the period stays leased, and the round after the lease asks with the same key and charges once', async () => {
    const { subscription } = await paidSubscription();
    // Every try of this round loses its answer after the emulator acted on it.
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', times: 50, action: { kind: 'applyThenDrop' } });

    await round(start);
    h.stripe.emulator.faults.clear();
    const [, leased] = await periodsOf(subscription.id);
    await round(later(LEASE_MS / 2));
    await round(later(LEASE_MS + 1_000));

    expect(leased!.status).toBe(SubscriptionPeriodStatus.OPEN);
    const [, paid] = await periodsOf(subscription.id);
    expect(paid!.status).toBe(SubscriptionPeriodStatus.PAID);
    expect(succeededCharges(subscription.id)).toHaveLength(1);
    const keys = new Set(h.stripe.emulator.requests.filter((r) => r.idempotencyKey?.startsWith('renewal:')).map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
  });

  it('when the card needs authentication, then the stuck PaymentIntent is cancelled and the customer gets a payment link for the renewal order', async () => {
    const { subscription } = await paidSubscription({ price: 1_100 });
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'authentication_required');

    await round(start);

    const [, period] = await periodsOf(subscription.id);
    const order = await fresh().findOneOrFail(Order, period!.orderId!);
    const link = await fresh().findOneOrFail(PaymentLink, order.paymentLinkId!);
    expect([link.amount, link.customerId, order.status]).toEqual([1_100, subscription.customerId, OrderStatus.PENDING_PAYMENT]);
    const cancel = h.stripe.emulator.requests.find((r) => r.idempotencyKey === `abandon-card:${order.id}`);
    expect(cancel?.status).toBe(200);
    const stuck = await h.stripe.stripe.paymentIntents.retrieve(cancel!.path.split('/')[3]!);
    expect([stuck.status, stuck.metadata.subscription_id]).toEqual(['canceled', subscription.id]);
    const event = await fresh().findOneOrFail(OutboxEvent, { aggregateId: subscription.id, type: 'subscription.payment_action_required' });
    expect(event.payload).toMatchObject({ paymentLinkId: link.id, url: expect.stringContaining(`/pay/${link.token}`) });
    expect((await fresh().findOneOrFail(Subscription, subscription.id)).status).toBe(SubscriptionStatus.PAST_DUE);
  });

  it('when a subscription was asked to cancel at its period end, then it is CANCELED without access and no order is made', async () => {
    const { subscription } = await paidSubscription({ cancelAtPeriodEnd: true });

    await round(start);

    const after = await fresh().findOneOrFail(Subscription, subscription.id);
    expect([after.status, after.entitled]).toEqual([SubscriptionStatus.CANCELED, false]);
    expect(await periodsOf(subscription.id)).toHaveLength(1);
    expect(await fresh().count(Order, { subscriptionId: subscription.id })).toBe(1);
    expect(h.stripe.emulator.requests.filter((r) => r.idempotencyKey?.startsWith('renewal:'))).toHaveLength(0);
  });

  it('when the process dies after the period and its order committed and before the charge, then the round after the lease charges once, with the first attempt key', async () => {
    const { subscription } = await paidSubscription();
    const payments = h.app.tillgate.deps.payments!;
    // The period and its order are written and the charge leased; the round then fails as a process killed before asking would.
    const spy = jest.spyOn(payments, 'chargeOffSession').mockRejectedValueOnce(new Error('simulated crash before the charge'));

    await round(start);
    spy.mockRestore();
    const [, leased] = await periodsOf(subscription.id);
    const order = await fresh().findOneOrFail(Order, leased!.orderId!);
    const requestsWhileLeased = renewalRequests(subscription.id);
    await round(later(LEASE_MS / 2));
    const requestsBeforeLeaseLapsed = renewalRequests(subscription.id);
    await round(later(LEASE_MS + 1_000));

    expect([leased!.status, leased!.attemptCount, order.status]).toEqual([SubscriptionPeriodStatus.OPEN, 0, OrderStatus.PENDING_PAYMENT]);
    expect([requestsWhileLeased, requestsBeforeLeaseLapsed]).toEqual([[], []]);
    expect(renewalRequests(subscription.id)).toEqual([['1', 200]]);
    const keys = h.stripe.emulator.requests.filter((r) => r.idempotencyKey?.startsWith('renewal:')).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`renewal:${subscription.id}:${leased!.periodStart.toISOString()}:1`]);
    expect(succeededCharges(subscription.id)).toHaveLength(1);
    expect((await periodsOf(subscription.id)).map((p) => [p.status, p.attemptCount])).toEqual([
      [SubscriptionPeriodStatus.PAID, 1],
      [SubscriptionPeriodStatus.PAID, 1],
    ]);
    expect(await fresh().count(Order, { subscriptionId: subscription.id })).toBe(2);
  });

  it('when the process dies after the charge and before recording it, then the next round after the lease records the same charge once', async () => {
    const { subscription } = await paidSubscription();
    const payments = h.app.tillgate.deps.payments!;
    const realCharge = payments.chargeOffSession.bind(payments);
    // The real charge reaches the emulator; the round then fails as a process killed right after it would.
    const spy = jest.spyOn(payments, 'chargeOffSession').mockImplementationOnce(async (request) => {
      await realCharge(request);
      throw new Error('simulated crash after the charge');
    });

    await round(start);
    spy.mockRestore();
    const [, leased] = await periodsOf(subscription.id);
    await round(later(LEASE_MS + 1_000));

    expect(leased!.status).toBe(SubscriptionPeriodStatus.OPEN);
    expect(succeededCharges(subscription.id)).toHaveLength(1);
    // Asked twice under the one key of attempt 1: the emulator replayed its first answer.
    expect(renewalRequests(subscription.id)).toEqual([
      ['1', 200],
      ['1', 200],
    ]);
    expect((await periodsOf(subscription.id)).map((p) => p.status)).toEqual([SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.PAID]);
  });

  it('when giving up a period runs twice, then the credit comes back once and the second run changes nothing', async () => {
    const { subscription, customer } = await paidSubscription({ price: 2_000, useCredit: true, credit: 300 });
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'card_declined');
    await round(start);
    const { giveUpPeriod } = await import('../../../src/services/subscriptions/renewal-outcomes');
    const [charge] = await h.app.tillgate.deps.db.transaction(fresh(), (uow) =>
      h.app.tillgate.deps.stores.renewals.claimDueCharges(uow, later(5 * DAY_MS), later(6 * DAY_MS), 5),
    );

    const runs = [];
    for (let i = 0; i < 2; i++)
      runs.push(await h.app.tillgate.deps.db.transaction(fresh(), (uow) => giveUpPeriod(uow, h.app.tillgate.deps.stores, charge!, 1, start)));

    expect(runs).toEqual([true, false]);
    expect(await balanceOf(customer.id)).toBe(300);
    expect(await fresh().count(CreditLedgerEntry, { customerId: customer.id })).toBe(3);
    expect(await eventsOf(subscription.id)).toEqual(['subscription.past_due', 'subscription.canceled']);
  });
});
