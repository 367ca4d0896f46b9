import Stripe from 'stripe';
import { startStripeEmulator } from '../../tools/stripe-emulator';
import { stripeError, stripeFor, useEmulator } from './support/harness';

describe('Stripe emulator: authentication, routing and parameters', () => {
  const ctx = useEmulator();

  it('when the API key is not a test secret key, then the SDK raises StripeAuthenticationError', async () => {
    const wrong = stripeFor(ctx.emu, { apiKey: 'pk_test_publishable' });

    const error = await stripeError(wrong.paymentIntents.retrieve('pi_1'));

    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.rawType).toBe('invalid_request_error');
  });

  it('when no Authorization header is sent, then it is a 401', async () => {
    const response = await fetch(`${ctx.emu.url}/v1/payment_intents/pi_1`);
    const body = (await response.json()) as { error: { type: string; message: string } };

    expect(response.status).toBe(401);
    expect(body.error.type).toBe('invalid_request_error');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('when the emulator is given one apiKey, then other test keys are refused', async () => {
    const strict = await startStripeEmulator({ apiKey: 'sk_test_only_this' });
    try {
      const error = await stripeError(stripeFor(strict).paymentIntents.create({ amount: 1000, currency: 'usd' }));
      const accepted = await stripeFor(strict, { apiKey: 'sk_test_only_this' }).paymentIntents.create({ amount: 1000, currency: 'usd' });

      expect(error.statusCode).toBe(401);
      expect(accepted.id).toMatch(/^pi_/);
    } finally {
      await strict.close();
    }
  });

  it('when every call succeeds, then every response carries a Request-Id', async () => {
    const intent = await ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });

    expect(intent.lastResponse.requestId).toMatch(/^req_/);
  });

  it('when an endpoint does not exist, then it is a 404 invalid_request_error', async () => {
    const error = await stripeError(ctx.stripe.products.create({ name: 'Mug' }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.message).toContain('/v1/products');
  });

  it('when an unknown parameter is sent, then it is refused like Stripe does', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', orderId: 'ord_1' } as Stripe.PaymentIntentCreateParams));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('orderId');
    expect(error.message).toContain('Received unknown parameter');
  });

  it('when metadata breaks Stripe’s limits, then it is refused', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { ['k'.repeat(41)]: 'v' } }));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe(`metadata[${'k'.repeat(41)}]`);
  });

  it('when the currency is not a supported one, then it is refused', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'xyz' }));

    expect([error.statusCode, error.param]).toEqual([400, 'currency']);
  });
});
