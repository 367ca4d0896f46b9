import { newId } from '../../../src/entities/columns';
import { DEFAULT_STRIPE_RETRY_POLICY } from '../../../src/services/payments/stripe/stripe-client';
import { OrderStatus, RedemptionStatus, ReservationStatus, SagaExecution, SagaStatus, Voucher } from '../../../src/entities';
import { availableUnits, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import type { TestApp } from '../../support/test-app';
import { arrangeCheckout, arrangeCustomerCheckout, confirm, creditOf, stateOf, stripeWrites, usePaymentsHarness, type CardCheckout } from './payments-harness';

/** Everything a failed checkout held is back: order CANCELLED, voucher RELEASED and uncounted, stock free, cart OPEN, credit returned. */
async function expectNothingHeld(app: TestApp, arranged: CardCheckout, customerId: string, credit: number): Promise<void> {
  const state = await stateOf(app, arranged.ready.cart.id);
  expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
  expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
  expect((await app.orm.em.fork().findOneOrFail(Voucher, { id: arranged.voucher.id })).redemptionCount).toBe(0);
  expect(state.reservations.filter((r) => r.status === ReservationStatus.ACTIVE)).toEqual([]);
  expect(await availableUnits(app.orm, arranged.ready.variants[0].id)).toBe(3);
  expect(state.cart.status).toBe('OPEN');
  expect(await creditOf(app, customerId)).toBe(credit);
  expect((await app.orm.em.fork().find(SagaExecution, {})).map((s) => s.status)).toEqual([SagaStatus.COMPENSATED]);
  await assertCheckoutInvariants(app.orm);
}

describe('payments without Stripe configured', () => {
  const app = useCheckoutApp();

  it('when HOSTED_CHECKOUT is confirmed and Stripe is not configured, then PAYMENT_PROVIDER_NOT_CONFIGURED and nothing stays held', async () => {
    const arranged = await arrangeCustomerCheckout(app(), { credit: 1_000 });
    const answer = await confirm(app(), { ...arranged.input, paymentMethod: 'HOSTED_CHECKOUT', useCredit: true }, arranged.customer.token);
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_NOT_CONFIGURED' });
    await expectNothingHeld(app(), arranged, arranged.customer.id, 1_000);
  });
});

describe('Stripe failing, and webhooks that must change nothing', () => {
  const h = usePaymentsHarness();
  const post = (body: string, signature = h.stripe.emulator.signPayload(body)) =>
    fetch(`${h.app.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
  const signedEvent = (type: string, object: Record<string, unknown>) =>
    JSON.stringify({
      id: `evt_${newId().replace(/-/g, '')}`,
      object: 'event',
      type,
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object },
    });

  it('when Stripe answers 5xx on every attempt and created no PaymentIntent, then PAYMENT_PROVIDER_UNAVAILABLE after every compensation', async () => {
    const arranged = await arrangeCustomerCheckout(h.app, { credit: 1_000 });
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'status', status: 500 }, times: 10 });
    const answer = await confirm(
      h.app,
      { ...arranged.input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa', useCredit: true },
      arranged.customer.token,
    );
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });

    const [order] = (await stateOf(h.app, arranged.ready.cart.id)).orders;
    const creates = stripeWrites(h.stripe, '/v1/payment_intents');
    expect(creates).toHaveLength(DEFAULT_STRIPE_RETRY_POLICY.maxAttempts);
    expect(creates.every((r) => r.idempotencyKey === order.id && r.status === 500)).toBe(true);
    expect(h.stripe.emulator.requests.some((r) => r.method === 'GET' && r.path === '/v1/payment_intents/search')).toBe(true);
    expect(h.stripe.emulator.createdObjects('payment_intent')).toEqual([]);
    await expectNothingHeld(h.app, arranged, arranged.customer.id, 1_000);
  });

  it('when a correctly signed event has an unhandled type or names no order of ours, then 2xx and nothing changes', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const pending = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    const writesBefore = stripeWrites(h.stripe).length;
    const intentId: string = pending.payment.providerReference;

    const answers = [
      await post(signedEvent('customer.created', { id: 'cus_123', object: 'customer', metadata: { order_id: pending.order.id } })),
      await post(signedEvent('payment_intent.succeeded', { id: 'pi_not_ours', object: 'payment_intent', metadata: {} })),
      await post(signedEvent('payment_intent.succeeded', { id: 'pi_unknown_order', object: 'payment_intent', metadata: { order_id: newId() } })),
      await post(signedEvent('checkout.session.completed', { id: 'cs_unknown_order', object: 'checkout.session', metadata: { order_id: newId() } })),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PENDING_PAYMENT]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.HELD]);
    expect(state.cart.status).toBe('CHECKING_OUT');
    expect(stripeWrites(h.stripe)).toHaveLength(writesBefore);
    expect((await h.stripe.stripe.paymentIntents.retrieve(intentId)).status).toBe('requires_action');
  });
});
