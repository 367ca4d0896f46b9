import Stripe from 'stripe';
import { NO_REDIRECTS, stripeError, stripeFor, useEmulator } from './support/harness';

const order = () => ({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_1' }, ...NO_REDIRECTS });

describe('Stripe emulator: fault injection', () => {
  const ctx = useEmulator();

  it('when a status fault matches, then the SDK raises the matching error class and nothing happens', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'status', status: 503 } });

    const error = await stripeError(ctx.stripe.paymentIntents.create(order()));
    const next = await ctx.stripe.paymentIntents.create(order());

    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(503);
    expect(next.status).toBe('succeeded');
    expect(ctx.emu.createdObjects('payment_intent').map((intent: Stripe.PaymentIntent) => intent.id)).toEqual([next.id]);
  });

  it('when a status fault carries a Stripe error, then the SDK sees that error', async () => {
    ctx.emu.faults.add({ path: /^\/v1\/refunds/, action: { kind: 'status', status: 429, error: { type: 'invalid_request_error', code: 'rate_limit' } } });

    const error = await stripeError(ctx.stripe.refunds.create({ payment_intent: 'pi_whatever' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error.code).toBe('rate_limit');
  });

  it('when a fault is limited by method and path, then other requests pass and `times` is consumed in order', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/v1/transfers', times: 2, action: { kind: 'status', status: 500 } });
    const transferParams = { amount: 1000, currency: 'usd', destination: 'acct_1' };

    const unaffected = await ctx.stripe.paymentIntents.create(order());
    const failures = [await stripeError(ctx.stripe.transfers.create(transferParams)), await stripeError(ctx.stripe.transfers.create(transferParams))];
    const third = await ctx.stripe.transfers.create(transferParams);

    expect(unaffected.status).toBe('succeeded');
    expect(failures.map((error) => error.statusCode)).toEqual([500, 500]);
    expect(third.id).toMatch(/^tr_/);
    expect(ctx.emu.faults.pending).toHaveLength(0);
  });

  it('when a delay fault matches, then the answer comes no sooner than the delay', async () => {
    ctx.emu.faults.add({ method: 'GET', action: { kind: 'delay', ms: 150 } });
    const intent = await ctx.stripe.paymentIntents.create(order());
    const started = Date.now();

    const fetched = await ctx.stripe.paymentIntents.retrieve(intent.id);

    expect(fetched.id).toBe(intent.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('when the API hangs, then the SDK times out with StripeConnectionError and the key stays in flight', async () => {
    const impatient = stripeFor(ctx.emu, { timeout: 200 });
    ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'hang' } });

    const timeout = await stripeError(impatient.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' }));
    const retry = await stripeError(ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' }));

    expect(timeout).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(retry.statusCode).toBe(409);
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(0);
  });

  it('when the response is lost after the create (applyThenFail), then a retry with the same key yields exactly one PaymentIntent', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenFail' } });

    const lost = await stripeError(ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' }));
    const retried = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' });

    expect(lost).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(lost.statusCode).toBe(500);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    const created = ctx.emu.createdObjects('payment_intent');
    expect(created.map((intent: Stripe.PaymentIntent) => intent.id)).toEqual([retried.id]);
    expect(ctx.emu.requests.map((entry) => [entry.status, entry.replayed])).toEqual([
      [500, false],
      [200, true],
    ]);
  });

  it('when the SDK retries a lost response by itself, then its automatic key makes the retry a replay', async () => {
    const retrying = stripeFor(ctx.emu, { maxNetworkRetries: 1 });
    ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenFail', status: 502 } });

    const intent = await retrying.paymentIntents.create(order());

    expect(ctx.emu.createdObjects('payment_intent').map((created: Stripe.PaymentIntent) => created.id)).toEqual([intent.id]);
    const [first, second] = ctx.emu.requests;
    expect(first?.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    expect([first?.status, second?.replayed]).toEqual([502, true]);
  });

  it('when the socket is dropped after the create, then the SDK’s reconnect retry replays it and one PaymentIntent exists', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenDrop' } });

    const intent = await ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' });

    expect(ctx.emu.createdObjects('payment_intent').map((created: Stripe.PaymentIntent) => created.id)).toEqual([intent.id]);
    expect(ctx.emu.requests.map((entry) => [entry.status, entry.replayed])).toEqual([
      [0, false],
      [200, true],
    ]);
  });

  it('when every attempt loses its socket, then the SDK raises StripeConnectionError though the create happened once', async () => {
    ctx.emu.faults.add({ method: 'POST', path: '/v1/payment_intents', times: 2, action: { kind: 'applyThenDrop' } });

    const error = await stripeError(ctx.stripe.paymentIntents.create(order(), { idempotencyKey: 'order-ord_1' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(1);
  });

  it('when faults are cleared, then none fires', async () => {
    ctx.emu.faults.add({ action: { kind: 'status', status: 500 } });
    ctx.emu.faults.clear();

    const intent = await ctx.stripe.paymentIntents.create(order());

    expect(intent.status).toBe('succeeded');
  });

  it('when a fault is malformed, then adding it throws', () => {
    expect(() => ctx.emu.faults.add({ times: 0, action: { kind: 'status', status: 500 } })).toThrow(/times/);
    expect(() => ctx.emu.faults.add({ action: { kind: 'status', status: 200 } })).toThrow(/status/);
  });
});
