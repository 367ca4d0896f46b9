import Stripe from 'stripe';
import { NO_REDIRECTS, stripeError, stripeFor, useEmulator } from './support/harness';

const order = (amount = 2000) => ({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_1' }, ...NO_REDIRECTS });

describe('Stripe emulator: idempotency', () => {
  const ctx = useEmulator();

  it('when a POST is repeated with the same key and parameters, then the stored response is replayed without a second effect', async () => {
    const first = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' });
    const second = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' });

    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(1);
    expect(ctx.emu.events.filter((event) => event.type === 'payment_intent.succeeded')).toHaveLength(1);
    expect(ctx.emu.requests.map((entry) => [entry.idempotencyKey, entry.replayed, entry.status])).toEqual([
      ['order-ord_1', false, 200],
      ['order-ord_1', true, 200],
    ]);
  });

  it('when the same key comes with different parameters, then it is a 400 idempotency_error', async () => {
    await ctx.stripe.paymentIntents.create(order(2000), { idempotencyKey: 'order-ord_1' });

    const error = await stripeError(ctx.stripe.paymentIntents.create(order(2500), { idempotencyKey: 'order-ord_1' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(1);
  });

  it('when the same key is used on another endpoint, then it is a 400 idempotency_error', async () => {
    const intent = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'shared-key' });

    const error = await stripeError(ctx.stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'shared-key' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(ctx.emu.createdObjects('refund')).toHaveLength(0);
  });

  it('when the parameters are sent in another order, then it is still the same request', async () => {
    const first = await ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { a: '1', b: '2' } }, { idempotencyKey: 'k1' });

    const second = await ctx.stripe.paymentIntents.create({ metadata: { b: '2', a: '1' }, currency: 'usd', amount: 1000 }, { idempotencyKey: 'k1' });

    expect(second.id).toBe(first.id);
  });

  it('when a duplicate arrives while the first request is still in flight, then it gets a 409 and only one object exists', async () => {
    const held = ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'delay', ms: 300 } });
    const first = ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' });
    await held.hit;

    const conflict = await stripeError(ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' }));
    const created = await first;

    expect(conflict.statusCode).toBe(409);
    expect(conflict.rawType).toBe('idempotency_error');
    expect(conflict.code).toBe('idempotency_key_in_use');
    expect(created.status).toBe('succeeded');
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(1);
    const retry = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' });
    expect(retry.id).toBe(created.id);
  });

  it('when a request fails parameter validation, then nothing is stored and the key can run a corrected request', async () => {
    const invalid = await stripeError(ctx.stripe.paymentIntents.create(order(10), { idempotencyKey: 'order-ord_1' }));

    const corrected = await ctx.stripe.paymentIntents.create(order(2000), { idempotencyKey: 'order-ord_1' });

    expect(invalid.code).toBe('amount_too_small');
    expect(corrected.status).toBe('succeeded');
    expect(ctx.emu.requests[1]?.replayed).toBe(false);
  });

  it('when a declined payment is retried with the same key, then the same 402 is replayed and no second charge is tried', async () => {
    const declined = { ...order(), payment_method: 'pm_card_chargeDeclined' };
    const first = await stripeError(ctx.stripe.paymentIntents.create(declined, { idempotencyKey: 'order-ord_1' }));

    const second = await stripeError(ctx.stripe.paymentIntents.create(declined, { idempotencyKey: 'order-ord_1' }));

    expect(second).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((second.payment_intent as { id: string }).id).toBe((first.payment_intent as { id: string }).id);
    expect(ctx.emu.events.filter((event) => event.type === 'payment_intent.payment_failed')).toHaveLength(1);
    expect(ctx.emu.requests.map((entry) => entry.replayed)).toEqual([false, true]);
  });

  it('when two API keys use the same idempotency key, then each gets its own object', async () => {
    const other = stripeFor(ctx.emu, { apiKey: 'sk_test_other' });

    const mine = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'same' });
    const theirs = await other.paymentIntents.create(order(), { idempotencyKey: 'same' });

    expect(theirs.id).not.toBe(mine.id);
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(2);
  });
});
