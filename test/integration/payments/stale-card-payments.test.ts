import { ConfigError, loadConfig } from '../../../src/config';
import { OrderStatus, PaymentStatus, RedemptionStatus, ReservationStatus } from '../../../src/entities';
import { allWorkers } from '../../../src/services/workers';
import { sweepStaleCardPayments } from '../../../src/services/workers/card-payment-sweeper.worker';
import { releaseExpiredReservations } from '../../../src/services/workers/reservation-expiry.worker';
import { availableUnits } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { arrangeCheckout, arrangeCustomerCheckout, confirm, creditOf, stateOf, stripeWrites, usePaymentsHarness } from './payments-harness';

describe('the stale card-payment sweeper (abandoned 3-D Secure)', () => {
  const h = usePaymentsHarness({ CARD_ACTION_TIMEOUT: '45m' });
  const sweep = (at: Date) => sweepStaleCardPayments(h.app.orm.em.fork(), h.app.tillgate.deps.payments!, h.app.tillgate.deps, at);
  const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
  const threeDSecure = { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' };

  it('when a 3-D Secure payment is abandoned past CARD_ACTION_TIMEOUT, then it is cancelled at Stripe under an order-derived key and everything is given back', async () => {
    const { input, ready, customer } = await arrangeCustomerCheckout(h.app, { credit: 1_000 });
    const answer = await confirm(h.app, { ...input, ...threeDSecure, useCredit: true }, customer.token);
    expect(answer).toMatchObject({ order: { status: 'PENDING_PAYMENT' }, payment: { status: 'REQUIRES_ACTION' } });
    expect(await creditOf(h.app, customer.id)).toBe(0);

    // Inside the window nothing happens.
    expect(await sweep(minutesFromNow(30))).toBe(0);
    expect((await stateOf(h.app, ready.cart.id)).orders.map((o) => o.status)).toEqual([OrderStatus.PENDING_PAYMENT]);
    expect(stripeWrites(h.stripe, `/v1/payment_intents/${answer.payment.providerReference}/cancel`)).toEqual([]);

    expect(await sweep(minutesFromNow(46))).toBe(1);
    expect((await h.stripe.stripe.paymentIntents.retrieve(answer.payment.providerReference)).status).toBe('canceled');
    expect(stripeWrites(h.stripe, `/v1/payment_intents/${answer.payment.providerReference}/cancel`).map((r) => r.idempotencyKey)).toEqual([
      `abandon-card:${answer.order.id}`,
    ]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.payments[0].status).toBe(PaymentStatus.CANCELLED);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(state.reservations.map((r) => r.status)).toEqual([ReservationStatus.RELEASED]);
    expect(state.cart.status).toBe('OPEN');
    expect(await creditOf(h.app, customer.id)).toBe(1_000);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(3);
    await assertCheckoutInvariants(h.app.orm);

    // A later round finds nothing, and the buyer can check the unchanged cart out again.
    expect(await sweep(minutesFromNow(90))).toBe(0);
    const retried = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa', useCredit: true }, customer.token);
    expect(retried).toMatchObject({ __typename: 'CheckoutConfirmation', replayed: false, order: { status: 'PLACED' } });
  });

  it('when the buyer authenticated but the webhook never came and the reservations lapsed, then the sweeper places the order with its stock taken', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, ...threeDSecure });
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    const later = minutesFromNow(46);
    expect(await releaseExpiredReservations(h.app.orm.em.fork(), later)).toBe(1);

    expect(await sweep(later)).toBe(1);
    expect(stripeWrites(h.stripe).filter((r) => r.path.endsWith('/cancel'))).toEqual([]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.payments[0]).toMatchObject({ status: PaymentStatus.CAPTURED, captured: 3_000 });
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.CONSUMED]);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when the workers are assembled with Stripe configured, then the card-payment sweeper is among them', () => {
    expect(allWorkers(h.app.tillgate.deps).map((w) => w.name)).toEqual(expect.arrayContaining(['hosted-checkout-sweeper', 'card-payment-sweeper']));
  });

  it('when CARD_ACTION_TIMEOUT is set, then it is read as a positive duration (default 1h) and a bad value is refused', () => {
    expect(h.app.config.cardActionTimeoutMs).toBe(45 * 60_000);
    expect(loadConfig({}).cardActionTimeoutMs).toBe(60 * 60_000);
    expect(() => loadConfig({ CARD_ACTION_TIMEOUT: 'an hour' })).toThrow(ConfigError);
    expect(() => loadConfig({ CARD_ACTION_TIMEOUT: '0m' })).toThrow(/CARD_ACTION_TIMEOUT/);
  });
});
