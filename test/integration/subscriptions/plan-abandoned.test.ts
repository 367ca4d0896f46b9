import {
  Order,
  OrderStatus,
  RedemptionStatus,
  Reservation,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
  VoucherKind,
  VoucherRedemption,
  type Voucher,
} from '../../../src/entities';
import { RenewalService } from '../../../src/services/subscriptions/renewals';
import { sweepStaleCardPayments } from '../../../src/services/workers/card-payment-sweeper.worker';
import { sweepLapsedHostedCheckouts } from '../../../src/services/workers/hosted-checkout-sweeper.worker';
import { buildVoucher } from '../../factories/catalog.factory';
import { grantTestCredit } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { confirm, creditOf, usePaymentsHarness } from '../payments/payments-harness';
import { periodsOf, planCart, subscriptionsOf } from './plan-checkout-harness';

const PLAN_PRICE = 2_000;
const VOUCHER_OFF = 500;
const CREDIT = 700;
const HOUR_MS = 60 * 60_000;

/**
 * A plan checkout the buyer never pays (issue 21, "unpaid never lingers"):
 * whichever way the payment is abandoned, the subscription ends
 * INCOMPLETE_EXPIRED in the transaction that gives back the voucher and the
 * credit, and no renewal round ever bills it, however late it runs.
 */
describe('an unpaid plan checkout is abandoned cleanly', () => {
  const h = usePaymentsHarness({ CARD_ACTION_TIMEOUT: '45m', CHECKOUT_SESSION_TTL: '2h' });
  const em = () => h.app.orm.em.fork();
  const deps = () => h.app.tillgate.deps;
  const hoursFromNow = (hours: number) => new Date(Date.now() + hours * HOUR_MS);

  /** A signed-in buyer with CREDIT store credit, a plan cart carrying a one-use voucher, confirmed with `payment` and useCredit. */
  async function startUnpaidPlanCheckout(payment: Record<string, unknown>) {
    const plan = await buildPlan(em(), { price: PLAN_PRICE });
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: VOUCHER_OFF, maxRedemptions: 1 });
    const buyer = await h.app.customer();
    await grantTestCredit(em(), buyer.id, CREDIT);
    const cart = await planCart(h.app, plan, buyer, voucher.code);
    const answer = await confirm(h.app, { ...cart, ...payment, useCredit: true }, buyer.token);
    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PENDING_PAYMENT' } });
    expect(answer.payment.amount.amount).toBe(PLAN_PRICE - VOUCHER_OFF - CREDIT);
    const [waiting] = await subscriptionsOf(h.app, buyer.id);
    expect(waiting).toMatchObject({ status: SubscriptionStatus.INCOMPLETE, entitled: false });
    expect(await creditOf(h.app, buyer.id)).toBe(0);
    expect(await redemptionsOf(voucher)).toEqual([RedemptionStatus.HELD]);
    return { buyer, voucher, cart, answer, subscriptionId: waiting.id, orderId: answer.order.id as string };
  }

  const redemptionsOf = async (voucher: Voucher) => (await em().find(VoucherRedemption, { voucher: voucher.id })).map((r) => r.status);

  /** Everything the abandoned checkout took is back, and a renewal round long after the period's end opens nothing for it. */
  async function expectAbandonedCleanly(checkout: Awaited<ReturnType<typeof startUnpaidPlanCheckout>>) {
    const { buyer, voucher, cart, subscriptionId, orderId } = checkout;
    const [expired] = await subscriptionsOf(h.app, buyer.id);
    expect(expired).toMatchObject({ id: subscriptionId, status: SubscriptionStatus.INCOMPLETE_EXPIRED, entitled: false });
    expect((await periodsOf(h.app, subscriptionId)).map((p) => [p.status, p.orderId])).toEqual([[SubscriptionPeriodStatus.VOID, orderId]]);
    expect((await em().findOneOrFail(Order, orderId)).status).toBe(OrderStatus.CANCELLED);
    expect(await redemptionsOf(voucher)).toEqual([RedemptionStatus.RELEASED]);
    expect(await creditOf(h.app, buyer.id)).toBe(CREDIT);
    expect(await em().count(Reservation, { cartId: cart.cartId })).toBe(0);

    const yearsLater = hoursFromNow(3 * 365 * 24);
    expect(await new RenewalService(deps()).runRound(em(), yearsLater)).toBe(0);
    expect(await periodsOf(h.app, subscriptionId)).toHaveLength(1);
    expect(await em().count(Order, { subscriptionId })).toBe(1);
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => [s.status, s.entitled])).toEqual([[SubscriptionStatus.INCOMPLETE_EXPIRED, false]]);
    await assertCheckoutInvariants(h.app.orm);
  }

  it("when a hosted plan checkout's session expires and Stripe's expired webhook arrives (three times), then the subscription is INCOMPLETE_EXPIRED with everything given back and never renewed", async () => {
    const checkout = await startUnpaidPlanCheckout({ paymentMethod: 'HOSTED_CHECKOUT' });
    await h.stripe.emulator.expireCheckoutSession(checkout.answer.payment.providerReference);
    const [expiredEvent] = h.stripe.emulator.events.filter((e) => e.type === 'checkout.session.expired');
    for (let delivery = 0; delivery < 3; delivery++) expect(await h.stripe.emulator.deliverEvent(expiredEvent.id)).toBe(200);

    await expectAbandonedCleanly(checkout);
  });

  it('when a hosted plan checkout lapses and no webhook ever comes, then the hosted-checkout sweeper expires it and the subscription is INCOMPLETE_EXPIRED, never renewed', async () => {
    const checkout = await startUnpaidPlanCheckout({ paymentMethod: 'HOSTED_CHECKOUT' });
    const sweep = (at: Date) => sweepLapsedHostedCheckouts(em(), deps().payments!, deps(), at);
    expect(await sweep(hoursFromNow(1))).toBe(0);
    expect((await subscriptionsOf(h.app, checkout.buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.INCOMPLETE]);

    expect(await sweep(hoursFromNow(3))).toBe(1);
    expect((await h.stripe.stripe.checkout.sessions.retrieve(checkout.answer.payment.providerReference)).status).toBe('expired');
    expect(await sweep(hoursFromNow(4))).toBe(0);

    await expectAbandonedCleanly(checkout);
  });

  it('when a card plan checkout needs 3-D Secure and the buyer never finishes, then past CARD_ACTION_TIMEOUT the card-payment sweeper makes it INCOMPLETE_EXPIRED, never renewed', async () => {
    const checkout = await startUnpaidPlanCheckout({ paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    expect(checkout.answer.payment.status).toBe('REQUIRES_ACTION');
    const sweep = (at: Date) => sweepStaleCardPayments(em(), deps().payments!, deps(), at);
    expect(await sweep(hoursFromNow(0.5))).toBe(0);
    expect((await subscriptionsOf(h.app, checkout.buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.INCOMPLETE]);

    expect(await sweep(hoursFromNow(1))).toBe(1);
    expect((await h.stripe.stripe.paymentIntents.retrieve(checkout.answer.payment.providerReference)).status).toBe('canceled');
    expect(await sweep(hoursFromNow(2))).toBe(0);

    await expectAbandonedCleanly(checkout);
  });

  it('when an abandoned plan checkout is given up, then the buyer can subscribe again with the same voucher and credit', async () => {
    const checkout = await startUnpaidPlanCheckout({ paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    expect(await sweepStaleCardPayments(em(), deps().payments!, deps(), hoursFromNow(1))).toBe(1);

    const again = await confirm(
      h.app,
      { ...checkout.cart, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa', useCredit: true },
      checkout.buyer.token,
    );

    expect(again).toMatchObject({ order: { status: 'PLACED', totals: { total: { amount: PLAN_PRICE - VOUCHER_OFF } } }, payment: { amount: { amount: 800 } } });
    expect((await subscriptionsOf(h.app, checkout.buyer.id)).map((s) => [s.status, s.entitled])).toEqual([
      [SubscriptionStatus.INCOMPLETE_EXPIRED, false],
      [SubscriptionStatus.ACTIVE, true],
    ]);
    expect(await redemptionsOf(checkout.voucher)).toEqual(expect.arrayContaining([RedemptionStatus.RELEASED, RedemptionStatus.CONSUMED]));
    expect(await creditOf(h.app, checkout.buyer.id)).toBe(0);
    await assertCheckoutInvariants(h.app.orm);
  });
});
