import { OrderStatus, OutboxEvent, PaymentStatus, RedemptionStatus, Refund, RefundStatus, ReservationStatus, StockLevel } from '../../../src/entities';
import { releaseExpiredReservations } from '../../../src/services/workers/reservation-expiry.worker';
import { availableUnits } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { anotherBuyerTakes, arrangeCheckout, arrangeCustomerCheckout, confirm, creditOf, stateOf, usePaymentsHarness } from './payments-harness';

/**
 * Payments that complete after confirmCheckout answered (3-D Secure, hosted
 * checkout) must never place an order without taking its stock
 * (invariant 5), even when the reservations lapsed meanwhile.
 */
describe('late payments and stock', () => {
  const h = usePaymentsHarness();
  const eventsOf = (type: string) => h.stripe.emulator.events.filter((e) => e.type === type);
  const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
  const onHand = async (variantId: string) =>
    (await h.app.orm.em.fork().find(StockLevel, { variant: variantId })).reduce((sum, level) => sum + level.onHand, 0);

  it('when a card awaits 3-D Secure, then its reservations outlive RESERVATION_TTL for CARD_ACTION_TIMEOUT', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const before = Date.now();
    await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    const { reservations, payments } = await stateOf(h.app, ready.cart.id);
    const active = reservations.filter((r) => r.status === ReservationStatus.ACTIVE);
    expect(active).toHaveLength(1);
    expect(active[0].expiresAt.getTime()).toBeGreaterThanOrEqual(before + h.app.config.cardActionTimeoutMs);
    expect(payments[0].expiresAt?.getTime()).toBe(active[0].expiresAt.getTime());

    // Past the ordinary reservation lifetime the expiry worker leaves the hold alone and the unit stays promised.
    const afterTtl = new Date(before + h.app.config.reservationTtlMs + 60_000);
    expect(afterTtl.getTime()).toBeLessThan(active[0].expiresAt.getTime());
    expect(await releaseExpiredReservations(h.app.orm.em.fork(), afterTtl)).toBe(0);
    const { db, stores } = h.app.tillgate.deps;
    expect((await stores.stock.available(db.unitOfWork(h.app.orm.em.fork()), [ready.variants[0].id], afterTtl)).get(ready.variants[0].id)).toBe(2);
  });

  it('when 3-D Secure completes after the reservations lapsed and the units are still free, then the webhook re-takes the stock and places the order', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    expect(await releaseExpiredReservations(h.app.orm.em.fork(), minutesFromNow(24 * 60))).toBe(1);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(3);

    expect(await h.stripe.emulator.deliverEvent(eventsOf('payment_intent.succeeded')[0].id)).toBe(200);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.reservations.filter((r) => r.orderId === answer.order.id).map((r) => [r.status, r.quantity])).toEqual([[ReservationStatus.CONVERTED, 1]]);
    expect(await onHand(ready.variants[0].id)).toBe(2);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(2);
    expect(h.stripe.emulator.createdObjects('refund')).toEqual([]);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when 3-D Secure completes after the reservations lapsed and another buyer took the units, then the charge is refunded and the order cancelled with everything given back', async () => {
    const { input, ready, customer } = await arrangeCustomerCheckout(h.app, { credit: 1_000, stock: 1 });
    const answer = await confirm(
      h.app,
      { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired', useCredit: true },
      customer.token,
    );
    expect(answer).toMatchObject({ order: { status: 'PENDING_PAYMENT', totals: { creditApplied: { amount: 1_000 }, amountDue: { amount: 2_000 } } } });
    expect(await creditOf(h.app, customer.id)).toBe(0);
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    await releaseExpiredReservations(h.app.orm.em.fork(), minutesFromNow(24 * 60));
    await anotherBuyerTakes(h.app, ready.variants[0], 1);

    expect(await h.stripe.emulator.deliverEvent(eventsOf('payment_intent.succeeded')[0].id)).toBe(200);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => [o.status, o.cancelReason])).toEqual([[OrderStatus.CANCELLED, 'paid after its reserved stock was gone']]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(state.cart.status).toBe('OPEN');
    expect(await creditOf(h.app, customer.id)).toBe(1_000);
    expect(await onHand(ready.variants[0].id)).toBe(0);

    const [refund] = h.stripe.emulator.createdObjects('refund');
    expect(refund).toMatchObject({ payment_intent: answer.payment.providerReference, amount: 2_000, status: 'succeeded' });
    expect(h.stripe.emulator.requests.filter((r) => r.path === '/v1/refunds').map((r) => r.idempotencyKey)).toEqual([`auto-refund:${answer.order.id}`]);
    const em = h.app.orm.em.fork();
    expect(await em.find(Refund, { orderId: answer.order.id })).toEqual([
      expect.objectContaining({ status: RefundStatus.SUCCEEDED, amount: 2_000, providerRefundId: refund.id, idempotencyKey: `auto-refund:${answer.order.id}` }),
    ]);
    expect(await em.count(OutboxEvent, { type: 'payment.auto_refunded', aggregateId: answer.order.id })).toBe(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a hosted checkout is paid after its reservations lapsed and the units are gone, then the session payment is refunded and nothing is oversold', async () => {
    const { input, ready } = await arrangeCheckout(h.app, 1);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT' });
    const sessionId: string = answer.payment.providerReference;
    await h.stripe.emulator.completeCheckoutSession(sessionId);
    const { payments } = await stateOf(h.app, ready.cart.id);
    await releaseExpiredReservations(h.app.orm.em.fork(), new Date(payments[0].expiresAt!.getTime() + 60_000));
    await anotherBuyerTakes(h.app, ready.variants[0], 1);

    const [completed] = eventsOf('checkout.session.completed');
    const [succeeded] = eventsOf('payment_intent.succeeded');
    expect([await h.stripe.emulator.deliverEvent(completed.id), await h.stripe.emulator.deliverEvent(succeeded.id)]).toEqual([200, 200]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.payments[0].status).toBe(PaymentStatus.CANCELLED);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(await onHand(ready.variants[0].id)).toBe(0);
    const session = await h.stripe.stripe.checkout.sessions.retrieve(sessionId);
    expect(h.stripe.emulator.createdObjects('refund')).toEqual([expect.objectContaining({ payment_intent: session.payment_intent, amount: 3_000 })]);
    expect(await h.app.orm.em.fork().count(Refund, { orderId: answer.order.id })).toBe(1);
    await assertCheckoutInvariants(h.app.orm);
  });
});
