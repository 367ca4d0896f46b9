import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../../../tools/stripe-emulator';
import { stripeWrite } from '../../../src/services/payments/stripe/stripe-client';
import { classifyStripeError, isAlreadyDone, StripeCallError } from '../../../src/services/payments/stripe/stripe-errors';

const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const NO_REDIRECTS = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } };

describe('stripeWrite and the Stripe error classifier', () => {
  let emu: StripeEmulator;
  let stripe: Stripe;
  beforeEach(async () => {
    emu = await startStripeEmulator({ port: 0 });
    stripe = new Stripe('sk_test_unit', { host: emu.host, port: emu.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  afterEach(() => emu.close());

  const charge = (options: Stripe.RequestOptions, paymentMethod = 'pm_card_visa') =>
    stripe.paymentIntents.create(
      { amount: 1_000, currency: 'eur', payment_method: paymentMethod, confirm: true, metadata: { order_id: 'o1' }, ...NO_REDIRECTS },
      options,
    );

  it('when the key is empty or blank, then it throws before anything is sent', async () => {
    await expect(stripeWrite('payment_intents.create', '', charge)).rejects.toThrow(/idempotency key/);
    await expect(stripeWrite('payment_intents.create', '   ', charge)).rejects.toThrow(/idempotency key/);
    expect(emu.requests).toHaveLength(0);
  });

  it('when Stripe answers 503 twice, then the third attempt with the SAME key succeeds and one intent exists', async () => {
    emu.faults.add({ method: 'POST', path: '/v1/payment_intents', times: 2, action: { kind: 'status', status: 503 } });
    const intent = await stripeWrite('payment_intents.create', 'order-1', charge, FAST);
    expect(intent.status).toBe('succeeded');
    expect(emu.requests.map((r) => r.idempotencyKey)).toEqual(['order-1', 'order-1', 'order-1']);
    expect(emu.createdObjects('payment_intent')).toHaveLength(1);
  });

  it('when retries run out, then a retryable StripeCallError comes out after exactly maxAttempts requests', async () => {
    emu.faults.add({ method: 'POST', path: '/v1/payment_intents', times: 5, action: { kind: 'status', status: 500 } });
    const error = await stripeWrite('payment_intents.create', 'order-2', charge, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeCallError);
    expect((error as StripeCallError).kind).toBe('retryable');
    expect(emu.requests).toHaveLength(3);
  });

  it('when the card is declined, then the failure is terminal with its decline code and is not retried', async () => {
    const error = (await stripeWrite('payment_intents.create', 'order-3', (o) => charge(o, 'pm_card_chargeDeclinedInsufficientFunds'), FAST).catch(
      (e: unknown) => e,
    )) as StripeCallError;
    expect(error.classification).toMatchObject({ kind: 'terminal', code: 'card_declined', declineCode: 'insufficient_funds' });
    expect(emu.requests).toHaveLength(1);
  });

  it('when the connection is refused, then retryable; when the answer times out, then indeterminate', async () => {
    const closed = new Stripe('sk_test_unit', { host: '127.0.0.1', port: 1, protocol: 'http', maxNetworkRetries: 0 });
    const refused = await closed.paymentIntents.retrieve('pi_x').catch((e: unknown) => e);
    expect(classifyStripeError(refused).kind).toBe('retryable');
    emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'hang' } });
    const slow = new Stripe('sk_test_unit', { host: emu.host, port: emu.port, protocol: 'http', maxNetworkRetries: 0, timeout: 200 });
    const timedOut = await slow.paymentIntents.create({ amount: 1_000, currency: 'eur' }, { idempotencyKey: 'order-4' }).catch((e: unknown) => e);
    expect(classifyStripeError(timedOut).kind).toBe('indeterminate');
  });

  it('when a key is still in flight, then the 409 is indeterminate, not terminal', async () => {
    const held = emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'delay', ms: 500 } });
    const first = charge({ idempotencyKey: 'order-5' });
    await held.hit;
    const conflict = await charge({ idempotencyKey: 'order-5' }).catch((e: unknown) => e);
    expect(classifyStripeError(conflict)).toMatchObject({ kind: 'indeterminate', code: 'idempotency_key_in_use' });
    await first;
  });

  it('when a charge is refunded twice, then the second failure is recognised as already done', async () => {
    const intent = await charge({ idempotencyKey: 'order-6' });
    await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-1' });
    const again = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-2' }).catch((e: unknown) => e);
    expect(isAlreadyDone(again)).toBe(true);
    expect(classifyStripeError(again).kind).toBe('terminal');
  });
});
