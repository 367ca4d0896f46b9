import { OrderStatus, PaymentStatus, ProcessedWebhookEvent, RedemptionStatus, Refund, SagaExecution, SagaStatus } from '../../../src/entities';
import { SimulatedCrash } from '../../../src/services/saga/saga-types';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { sweepLapsedHostedCheckouts } from '../../../src/services/workers/hosted-checkout-sweeper.worker';
import { availableUnits } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { orderMoney } from '../refunds/refund-api';
import { arrangeCheckout, confirm, stateOf, usePaymentsHarness } from './payments-harness';

describe('Stripe webhooks, the hosted checkout sweeper and saga recovery', () => {
  const h = usePaymentsHarness({ SAGA_RECOVERY_GRACE: '0ms' });
  const eventsOf = (type: string) => h.stripe.emulator.events.filter((e) => e.type === type);
  const deliverThrice = async (eventId: string) => [
    await h.stripe.emulator.deliverEvent(eventId),
    await h.stripe.emulator.deliverEvent(eventId),
    await h.stripe.emulator.deliverEvent(eventId),
  ];
  const inAMoment = () => new Date(Date.now() + 1_000);

  it('when 3-D Secure is required and then completed, then the order waits PENDING_PAYMENT and the webhook (sent 3 times) places it once', async () => {
    const { input, ready, voucher } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    expect(answer).toMatchObject({
      __typename: 'CheckoutConfirmation',
      order: { status: 'PENDING_PAYMENT' },
      payment: { status: 'REQUIRES_ACTION', clientSecret: expect.stringMatching(/^pi_/) },
    });
    let state = await stateOf(h.app, ready.cart.id);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.HELD]);

    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    const [succeeded] = eventsOf('payment_intent.succeeded');
    expect(await deliverThrice(succeeded.id)).toEqual([200, 200, 200]);
    state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.payments[0]).toMatchObject({ status: PaymentStatus.CAPTURED, captured: 3_000 });
    expect(state.redemptions.map((r) => [r.voucher.id, r.status])).toEqual([[voucher.id, RedemptionStatus.CONSUMED]]);
    expect(state.cart.status).toBe('CONVERTED');
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(2);
    expect(await h.app.orm.em.fork().count(ProcessedWebhookEvent, { id: succeeded.id })).toBe(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when 3-D Secure fails, then the payment_failed webhook (sent 3 times) cancels the order and gives everything back', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, false);
    const [failed] = eventsOf('payment_intent.payment_failed');
    expect(await deliverThrice(failed.id)).toEqual([200, 200, 200]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.payments[0].status).toBe(PaymentStatus.FAILED);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(state.cart.status).toBe('OPEN');
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(3);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a stale payment_failed arrives after the buyer retried and paid, then it changes nothing', async () => {
    const { input, ready, voucher } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    const intentId: string = answer.payment.providerReference;
    await h.stripe.emulator.completeAuthentication(intentId, false);
    // The buyer tries again on the same PaymentIntent (Stripe.js with its client secret), this time with a card that goes through.
    await h.stripe.stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });
    const [failed] = eventsOf('payment_intent.payment_failed');
    const [succeeded] = eventsOf('payment_intent.succeeded');
    expect(await h.stripe.emulator.deliverEvent(succeeded.id)).toBe(200);
    const placed = await stateOf(h.app, ready.cart.id);
    expect(placed.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);

    expect(await deliverThrice(failed.id)).toEqual([200, 200, 200]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.payments[0]).toMatchObject({ status: PaymentStatus.CAPTURED, captured: 3_000 });
    expect(state.redemptions.map((r) => [r.voucher.id, r.status])).toEqual([[voucher.id, RedemptionStatus.CONSUMED]]);
    expect(state.cart.status).toBe('CONVERTED');
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(2);
    expect(h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/refunds'))).toEqual([]);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a webhook has a bad or missing signature, then 400 and nothing happens', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    const [succeeded] = eventsOf('payment_intent.succeeded');
    const body = JSON.stringify(succeeded);
    const post = (headers: Record<string, string>) =>
      fetch(`${h.app.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({ 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` })).status).toBe(400);
    expect((await post({})).status).toBe(400);
    expect((await stateOf(h.app, ready.cart.id)).orders.map((o) => o.status)).toEqual([OrderStatus.PENDING_PAYMENT]);
    expect(await h.app.orm.em.fork().count(ProcessedWebhookEvent, {})).toBe(0);
    // The genuine delivery still works afterwards.
    expect((await post({ 'stripe-signature': h.stripe.emulator.signPayload(body) })).status).toBe(200);
    expect((await stateOf(h.app, ready.cart.id)).orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
  });

  it('when a hosted checkout is paid, then completed and succeeded events (each 3 times, out of order) place the order once', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT' });
    expect(answer).toMatchObject({
      order: { status: 'PENDING_PAYMENT' },
      payment: { status: 'PENDING', checkoutUrl: expect.stringContaining('/_emulator/checkout/cs_') },
    });
    const replay = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT' });
    expect(replay).toMatchObject({ replayed: true, order: { id: answer.order.id }, payment: { checkoutUrl: answer.payment.checkoutUrl } });

    await h.stripe.emulator.completeCheckoutSession(answer.payment.providerReference);
    const [completed] = eventsOf('checkout.session.completed');
    const [succeeded] = eventsOf('payment_intent.succeeded');
    expect([...(await deliverThrice(completed.id)), ...(await deliverThrice(succeeded.id))]).toEqual([200, 200, 200, 200, 200, 200]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.CONSUMED]);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a hosted session expires, then the expired webhook cancels the order: voucher RELEASED, stock back, cart OPEN', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT' });
    await h.stripe.emulator.expireCheckoutSession(answer.payment.providerReference);
    const [expired] = eventsOf('checkout.session.expired');
    expect(await deliverThrice(expired.id)).toEqual([200, 200, 200]);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(state.cart.status).toBe('OPEN');
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(3);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a hosted session lapsed and no webhook ever came, then the sweeper expires it at Stripe and cancels the order', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT' });
    const gateway = h.app.tillgate.deps.payments!;
    const afterExpiry = new Date(Date.now() + 25 * 60 * 60_000);
    expect(await sweepLapsedHostedCheckouts(h.app.orm.em.fork(), gateway, h.app.tillgate.deps, afterExpiry)).toBe(1);
    expect((await h.stripe.stripe.checkout.sessions.retrieve(answer.payment.providerReference)).status).toBe('expired');
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(await sweepLapsedHostedCheckouts(h.app.orm.em.fork(), gateway, h.app.tillgate.deps, afterExpiry)).toBe(0);
  });

  it('when the process dies after the PaymentIntent succeeded but before finalize, then recovery places the order', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    h.faults.beforeStep = (stepId) => {
      if (stepId === 'finalize') throw new SimulatedCrash('killed before finalize');
    };
    const crashed = await h.app.gql(`mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) { __typename } }`, {
      input: { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' },
    });
    expect(crashed.errors?.length).toBeGreaterThan(0);
    h.faults.beforeStep = undefined;
    expect((await stateOf(h.app, ready.cart.id)).orders.map((o) => o.status)).toEqual([OrderStatus.PENDING_PAYMENT]);

    expect(await recoverStaleSagas(h.app.orm.em.fork(), h.app.tillgate.deps, inAMoment())).toBe(1);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.CONSUMED]);
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when the create was sent but its answer never arrived, then recovery finds the charge via Stripe and places the order', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenDrop' }, times: 5 });
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'CHECKOUT_IN_PROGRESS' });
    h.stripe.emulator.faults.clear();
    const saga = await h.app.orm.em.fork().findOneOrFail(SagaExecution, { key: `${input.cartId}:${input.versionKey}` });
    expect(saga.status).toBe(SagaStatus.RUNNING);

    expect(await recoverStaleSagas(h.app.orm.em.fork(), h.app.tillgate.deps, inAMoment())).toBe(1);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(h.stripe.emulator.createdObjects('payment_intent').filter((pi: { status: string }) => pi.status === 'succeeded')).toHaveLength(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a 3-D Secure create was applied but its answer lost, then recovery hands over the PaymentIntent with its client secret and holds the stock', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenDrop' }, times: 5 });
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'CHECKOUT_IN_PROGRESS' });
    h.stripe.emulator.faults.clear();

    const recoveredAt = Date.now();
    expect(await recoverStaleSagas(h.app.orm.em.fork(), h.app.tillgate.deps, inAMoment())).toBe(1);
    const [intent] = h.stripe.emulator.createdObjects('payment_intent');
    expect(intent).toMatchObject({ status: 'requires_action', client_secret: expect.stringMatching(/^pi_.+_secret_/) });
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PENDING_PAYMENT]);
    expect(state.payments[0]).toMatchObject({ status: PaymentStatus.REQUIRES_ACTION, providerReference: intent.id, clientSecret: intent.client_secret });
    const holdUntil = recoveredAt + h.app.config.cardActionTimeoutMs;
    expect(state.reservations.filter((r) => r.status === 'ACTIVE').map((r) => r.expiresAt.getTime() >= holdUntil)).toEqual([true]);

    await h.stripe.emulator.completeAuthentication(intent.id, true);
    expect(await h.stripe.emulator.deliverEvent(eventsOf('payment_intent.succeeded')[0].id)).toBe(200);
    expect((await stateOf(h.app, ready.cart.id)).orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when the create never reached Stripe and the answer was lost, then recovery proves there is no charge and compensates', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    h.faults.beforeStep = (stepId) => {
      if (stepId === 'payment') throw new SimulatedCrash('killed as the request left');
    };
    await h.app.gql(`mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) { __typename } }`, {
      input: { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' },
    });
    h.faults.beforeStep = undefined;

    expect(await recoverStaleSagas(h.app.orm.em.fork(), h.app.tillgate.deps, inAMoment())).toBe(1);
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(state.cart.status).toBe('OPEN');
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(0);
    expect(h.stripe.emulator.requests.some((r) => r.path === '/v1/payment_intents/search')).toBe(true);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a charge succeeds for an order that was cancelled meanwhile, then the webhook refunds it with key auto-refund:<orderId> and books one Refund', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_authenticationRequired' });
    const cancel = await h.app.gql(
      `mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { __typename } }`,
      { input: { orderId: answer.order.id, reason: 'changed my mind' } },
      { token: await h.app.adminToken() },
    );
    expect(cancel.errors).toBeUndefined();
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    const [succeeded] = eventsOf('payment_intent.succeeded');
    expect(await deliverThrice(succeeded.id)).toEqual([200, 200, 200]);
    const refunds = h.stripe.emulator.createdObjects('refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ payment_intent: answer.payment.providerReference, amount: 3_000 });
    expect(h.stripe.emulator.requests.filter((r) => r.path === '/v1/refunds').every((r) => r.idempotencyKey === `auto-refund:${answer.order.id}`)).toBe(true);
    expect((await stateOf(h.app, ready.cart.id)).orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    const order = await orderMoney(h.app, answer.order.id);
    expect(order.status).toBe('CANCELLED');
    expect(order.refunds).toEqual([{ id: expect.any(String), status: 'SUCCEEDED', amount: { amount: 3_000 }, providerRefundId: refunds[0].id }]);
    expect(order.totals.refunded.amount).toBe(3_000);
    const booked = await h.app.orm.em.fork().findOneOrFail(Refund, { orderId: answer.order.id });
    expect(booked).toMatchObject({ reason: 'charge on cancelled order', idempotencyKey: `auto-refund:${answer.order.id}`, providerAmount: 3_000 });
  });
});
