import { OrderStatus, PaymentStatus, RedemptionStatus } from '../../../src/entities';
import { availableUnits } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { arrangeCheckout, confirm, stateOf, stripeWrites, usePaymentsHarness } from './payments-harness';

describe('card payments through Stripe (emulator, real SDK)', () => {
  const h = usePaymentsHarness();

  it('when a card succeeds, then the order is PLACED with one captured PaymentIntent keyed by the order id', async () => {
    const { input, voucher, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', replayed: false, order: { status: 'PLACED' }, payment: { status: 'CAPTURED' } });

    const intents = h.stripe.emulator.createdObjects('payment_intent');
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      status: 'succeeded',
      amount: 3_000,
      currency: 'eur',
      metadata: { order_id: answer.order.id, cart_version_key: input.versionKey },
    });
    const creates = stripeWrites(h.stripe, '/v1/payment_intents');
    expect(creates.map((r) => r.idempotencyKey)).toEqual([answer.order.id]);
    const { payments, redemptions } = await stateOf(h.app, ready.cart.id);
    expect(payments[0]).toMatchObject({ status: PaymentStatus.CAPTURED, captured: 3_000, providerReference: intents[0].id });
    expect(redemptions.map((r) => [r.voucher.id, r.status])).toEqual([[voucher.id, RedemptionStatus.CONSUMED]]);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when the same confirm is sent twice, then one PaymentIntent exists and every write carried our key', async () => {
    const { input } = await arrangeCheckout(h.app);
    const first = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    const second = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    expect(second).toMatchObject({ replayed: true, order: { id: first.order.id, status: 'PLACED' } });
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(1);
    const writes = stripeWrites(h.stripe);
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) {
      expect(write.idempotencyKey).toBeTruthy();
      expect(write.idempotencyKey).not.toMatch(/^stripe-node-retry-/);
    }
  });

  it('when the create is applied but its response is lost, then the retry with the same key replays it: one charge, order PLACED', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenFail', status: 500 } });
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' } });
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(1);
    const creates = stripeWrites(h.stripe, '/v1/payment_intents');
    expect(creates).toHaveLength(2);
    expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(new Set([answer.order.id]));
    expect(creates[1].replayed).toBe(true);
    expect((await stateOf(h.app, ready.cart.id)).orders).toHaveLength(1);
  });

  it('when identical confirms race, then one charge and one order; the others answer replay or CHECKOUT_IN_PROGRESS', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' })),
    );
    const placed = answers.filter((a) => a.__typename === 'CheckoutConfirmation');
    expect(placed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(placed.map((a) => a.order.id)).size).toBe(1);
    for (const other of answers.filter((a) => a.__typename !== 'CheckoutConfirmation')) expect(other.errorCode).toBe('CHECKOUT_IN_PROGRESS');
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(1);
    expect((await stateOf(h.app, ready.cart.id)).orders).toHaveLength(1);
  });

  it('when the card is declined and the buyer retries with a good card, then one PLACED order, one charge, the voucher CONSUMED once', async () => {
    const { input, ready, voucher } = await arrangeCheckout(h.app);
    const declined = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_DECLINED' });
    let state = await stateOf(h.app, ready.cart.id);
    expect(state.cart.status).toBe('OPEN');
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(3);

    const retried = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    expect(retried).toMatchObject({ __typename: 'CheckoutConfirmation', replayed: false, order: { status: 'PLACED' } });
    expect(retried.order.id).not.toBe(state.orders[0].id);
    const creates = stripeWrites(h.stripe, '/v1/payment_intents');
    expect(creates.map((r) => r.idempotencyKey)).toEqual([state.orders[0].id, retried.order.id]);
    const succeeded = h.stripe.emulator
      .createdObjects('payment_intent')
      .concat((await h.stripe.stripe.paymentIntents.search({ query: `metadata['order_id']:'${state.orders[0].id}'` })).data)
      .filter((pi: { status: string }) => pi.status === 'succeeded');
    expect(succeeded).toHaveLength(1);
    state = await stateOf(h.app, ready.cart.id);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED, OrderStatus.PLACED]);
    expect(
      state.redemptions
        .filter((r) => r.voucher.id === voucher.id)
        .map((r) => r.status)
        .sort(),
    ).toEqual([RedemptionStatus.CONSUMED, RedemptionStatus.RELEASED]);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when the stripePaymentMethodId names no PaymentMethod, then PAYMENT_DECLINED, nothing charged and everything given back', async () => {
    const { input, ready } = await arrangeCheckout(h.app);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_not_a_real_method' });

    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_DECLINED', field: 'paymentMethod' });
    const state = await stateOf(h.app, ready.cart.id);
    expect(state.cart.status).toBe('OPEN');
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
    expect(await availableUnits(h.app.orm, ready.variants[0].id)).toBe(3);
    expect(h.stripe.emulator.createdObjects('payment_intent')).toEqual([]);
    await assertCheckoutInvariants(h.app.orm);
  });
});
