import { Order, OrderStatus, RedemptionStatus, SubscriptionPeriodStatus, SubscriptionStatus, VoucherKind, VoucherRedemption } from '../../../src/entities';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { buildVoucher } from '../../factories/catalog.factory';
import { cartApi } from '../../factories/cart.factory';
import { grantTestCredit } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { confirm, usePaymentsHarness } from '../payments/payments-harness';
import { eventsCount, periodsOf, planCart, stripeCustomerOf, subscriptionsOf } from './plan-checkout-harness';

const VISA = { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' };

describe('buying a plan through checkout', () => {
  const h = usePaymentsHarness({ SAGA_RECOVERY_GRACE: '0ms' });
  const em = () => h.app.orm.em.fork();
  const inAMoment = () => new Date(Date.now() + 1_000);

  it('when a signed-in customer pays a plan by card, then the order is placed and the subscription ACTIVE with the card Stripe saved; a second checkout of it gets ALREADY_SUBSCRIBED', async () => {
    const plan = await buildPlan(em());
    const buyer = await h.app.customer();
    const placed = await confirm(h.app, { ...(await planCart(h.app, plan, buyer)), ...VISA }, buyer.token);

    expect(placed.order.status).toBe('PLACED');
    const [subscription] = await subscriptionsOf(h.app, buyer.id);
    expect(subscription).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true, useCredit: false });
    expect(subscription.savedPaymentMethodId).toMatch(/^pm_/);
    expect(subscription.savedPaymentMethodId).not.toBe('pm_card_visa');
    expect(subscription.stripeCustomerId).toMatch(/^cus_/);
    expect(await stripeCustomerOf(h.app, buyer.id)).toBe(subscription.stripeCustomerId);
    expect(subscription.currentPeriodStart).toEqual(subscription.anchor);
    expect(subscription.currentPeriodEnd!.getTime()).toBeGreaterThan(subscription.currentPeriodStart!.getTime());
    const [period] = await periodsOf(h.app, subscription.id);
    expect(period).toMatchObject({ status: SubscriptionPeriodStatus.PAID, orderId: placed.order.id });
    expect(await eventsCount(h.app, 'subscription.activated', subscription.id)).toBe(1);

    const again = await confirm(h.app, { ...(await planCart(h.app, plan, buyer)), ...VISA }, buyer.token);
    expect(again).toMatchObject({ __typename: 'UserError', errorCode: 'ALREADY_SUBSCRIBED' });
    expect(h.stripe.emulator.createdObjects('customer')).toHaveLength(1);
    expect(await subscriptionsOf(h.app, buyer.id)).toHaveLength(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when store credit pays the whole plan, then order, spend and ACTIVE subscription commit together and no request reaches Stripe', async () => {
    const plan = await buildPlan(em(), { price: 1_000 });
    const buyer = await h.app.customer();
    await grantTestCredit(em(), buyer.id, 1_000);
    const cart = await planCart(h.app, plan, buyer);
    const requestsBefore = h.stripe.emulator.requests.length;

    const placed = await confirm(h.app, { ...cart, paymentMethod: 'STORE_CREDIT' }, buyer.token);

    expect(placed.order.status).toBe('PLACED');
    const [subscription] = await subscriptionsOf(h.app, buyer.id);
    expect(subscription).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true, useCredit: true, stripeCustomerId: null });
    expect(h.stripe.emulator.requests.length).toBe(requestsBefore);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a guest adds a plan, a plan joins other lines or its quantity is not 1, then VALIDATION_FAILED and the cart is unchanged', async () => {
    const plan = await buildPlan(em());
    const other = await buildPlan(em());
    const guest = cartApi(h.app);
    const guestCart = await guest.create({ email: 'guest@example.com' });
    expect(await guest.addLine(guestCart.id, plan.id, 1)).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED' });

    const buyer = await h.app.customer();
    const api = cartApi(h.app, buyer.token);
    const cart = await api.create();
    expect(await api.addLine(cart.id, plan.id, 2)).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'quantity' });
    const withPlan = await api.addLine(cart.id, plan.id, 1);
    expect(await api.addLine(cart.id, other.id, 1)).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED' });
    expect(await api.updateLine(cart.id, withPlan.lines[0].id, 3)).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED' });
    expect((await api.get(cart.id)).lines.map((l: { quantity: number }) => l.quantity)).toEqual([1]);
  });

  it('when a plan is to be paid on delivery, then VALIDATION_FAILED and nothing is written', async () => {
    const plan = await buildPlan(em());
    const buyer = await h.app.customer();
    const refused = await confirm(h.app, { ...(await planCart(h.app, plan, buyer)), paymentMethod: 'CASH_ON_DELIVERY' }, buyer.token);
    expect(refused).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'paymentMethod' });
    expect(await subscriptionsOf(h.app, buyer.id)).toEqual([]);
  });

  it('when the card is declined, then the subscription is INCOMPLETE_EXPIRED, its period VOID, the voucher back, and a retry can subscribe', async () => {
    const plan = await buildPlan(em(), { price: 2_000 });
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 500, maxRedemptions: 1 });
    const buyer = await h.app.customer();
    const cart = await planCart(h.app, plan, buyer, voucher.code);

    const declined = await confirm(h.app, { ...cart, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_chargeDeclined' }, buyer.token);

    expect(declined).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_DECLINED' });
    const [expired] = await subscriptionsOf(h.app, buyer.id);
    expect(expired).toMatchObject({ status: SubscriptionStatus.INCOMPLETE_EXPIRED, entitled: false });
    expect((await periodsOf(h.app, expired.id)).map((p) => p.status)).toEqual([SubscriptionPeriodStatus.VOID]);
    expect((await em().find(VoucherRedemption, { voucher: voucher.id })).map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);

    const paid = await confirm(h.app, { ...(await planCart(h.app, plan, buyer, voucher.code)), ...VISA }, buyer.token);
    expect(paid.order).toMatchObject({ status: 'PLACED', totals: { total: { amount: 1_500 } } });
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.INCOMPLETE_EXPIRED, SubscriptionStatus.ACTIVE]);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when 3-D Secure is completed and its webhook delivered three times, then the subscription waits INCOMPLETE and is activated once', async () => {
    const plan = await buildPlan(em());
    const buyer = await h.app.customer();
    const answer = await confirm(
      h.app,
      { ...(await planCart(h.app, plan, buyer)), paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' },
      buyer.token,
    );
    expect(answer.order.status).toBe('PENDING_PAYMENT');
    const [waiting] = await subscriptionsOf(h.app, buyer.id);
    expect(waiting).toMatchObject({ status: SubscriptionStatus.INCOMPLETE, entitled: false });
    expect(waiting.stripeCustomerId).toMatch(/^cus_/);

    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    const [succeeded] = h.stripe.emulator.events.filter((e) => e.type === 'payment_intent.succeeded');
    for (let delivery = 0; delivery < 3; delivery++) expect(await h.stripe.emulator.deliverEvent(succeeded.id)).toBe(200);

    const [active] = await subscriptionsOf(h.app, buyer.id);
    expect(active).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true });
    expect(active.savedPaymentMethodId).toMatch(/^pm_/);
    expect(await eventsCount(h.app, 'subscription.activated', active.id)).toBe(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it("when the payment's answer is lost, then the subscription stays INCOMPLETE and recovery places the order and activates it exactly once", async () => {
    const plan = await buildPlan(em());
    const buyer = await h.app.customer();
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenDrop' }, times: 5 });
    const answer = await confirm(h.app, { ...(await planCart(h.app, plan, buyer)), ...VISA }, buyer.token);
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'CHECKOUT_IN_PROGRESS' });
    h.stripe.emulator.faults.clear();
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => [s.status, s.entitled])).toEqual([[SubscriptionStatus.INCOMPLETE, false]]);

    expect(await recoverStaleSagas(em(), h.app.tillgate.deps, inAMoment())).toBe(1);
    expect(await recoverStaleSagas(em(), h.app.tillgate.deps, inAMoment())).toBe(0);

    const [subscription] = await subscriptionsOf(h.app, buyer.id);
    expect(subscription).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true });
    expect(subscription.savedPaymentMethodId).toMatch(/^pm_/);
    expect(await eventsCount(h.app, 'subscription.activated', subscription.id)).toBe(1);
    expect(h.stripe.emulator.createdObjects('payment_intent').filter((pi: { status: string }) => pi.status === 'succeeded')).toHaveLength(1);
    const [period] = await periodsOf(h.app, subscription.id);
    expect(period.status).toBe(SubscriptionPeriodStatus.PAID);
    expect((await em().findOneOrFail(Order, { id: period.orderId! })).status).toBe(OrderStatus.PLACED);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when one customer confirms two plan carts at once, then only one subscription is started and the other checkout is refused', async () => {
    const plan = await buildPlan(em(), { price: 1_000 });
    const buyer = await h.app.customer();
    await grantTestCredit(em(), buyer.id, 5_000);
    const carts = [await planCart(h.app, plan, buyer), await planCart(h.app, plan, buyer), await planCart(h.app, plan, buyer)];

    const answers = await Promise.all(carts.map((cart) => confirm(h.app, { ...cart, paymentMethod: 'STORE_CREDIT' }, buyer.token)));

    expect(answers.filter((a) => a.__typename === 'CheckoutConfirmation')).toHaveLength(1);
    expect(answers.filter((a) => a.__typename === 'UserError').map((a) => a.errorCode)).toEqual(['ALREADY_SUBSCRIBED', 'ALREADY_SUBSCRIBED']);
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.ACTIVE]);
    await assertCheckoutInvariants(h.app.orm);
  });
});
