import Stripe from 'stripe';
import { NO_REDIRECTS, paidIntent, stripeError, useEmulator } from './support/harness';

describe('Stripe emulator: PaymentIntents', () => {
  const ctx = useEmulator();

  it('when a PaymentIntent is confirmed with pm_card_visa, then it succeeds with a charge and emits payment_intent.succeeded', async () => {
    const intent = await paidIntent(ctx.stripe, 2599, { order_id: 'ord_42' });

    expect(intent.id).toMatch(/^pi_/);
    expect(intent.status).toBe('succeeded');
    expect(intent.amount_received).toBe(2599);
    expect(intent.latest_charge).toMatch(/^ch_/);
    expect(intent.metadata).toEqual({ order_id: 'ord_42' });
    expect(intent.livemode).toBe(false);
    const succeeded = ctx.emu.events.filter((event) => event.type === 'payment_intent.succeeded');
    expect(succeeded.map((event) => (event.data.object as { id: string }).id)).toEqual([intent.id]);
  });

  it('when the card is declined, then the SDK raises StripeCardError and the PaymentIntent waits for another payment method', async () => {
    const error = await stripeError(
      ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, ...NO_REDIRECTS }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('card_declined');
    expect(error.decline_code).toBe('generic_decline');
    const intentId = (error.payment_intent as { id: string }).id;
    const intent = await ctx.stripe.paymentIntents.retrieve(intentId);
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.code).toBe('card_declined');
    expect(intent.amount_received).toBe(0);
    expect(ctx.emu.events.map((event) => event.type)).toContain('payment_intent.payment_failed');
  });

  it('when a declined PaymentIntent is confirmed again with a good card, then it succeeds', async () => {
    const error = await stripeError(
      ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, ...NO_REDIRECTS }),
    );
    const intentId = (error.payment_intent as { id: string }).id;

    const intent = await ctx.stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa' });

    expect(intent.status).toBe('succeeded');
    expect(intent.last_payment_error).toBeNull();
  });

  it('when the card requires authentication, then the PaymentIntent requires_action until 3DS succeeds', async () => {
    const intent = await ctx.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      ...NO_REDIRECTS,
    });
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('use_stripe_sdk');
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));

    await ctx.emu.completeAuthentication(intent.id, true);

    const after = await ctx.stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('succeeded');
    expect(after.amount_received).toBe(1500);
    expect(ctx.emu.events.map((event) => event.type).slice(-1)).toEqual(['payment_intent.succeeded']);
  });

  it('when 3DS fails, then the PaymentIntent returns to requires_payment_method and emits payment_intent.payment_failed', async () => {
    const intent = await ctx.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    expect(intent.next_action?.type).toBe('redirect_to_url');

    await ctx.emu.completeAuthentication(intent.id, false);

    const after = await ctx.stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    expect(ctx.emu.events.map((event) => event.type).slice(-1)).toEqual(['payment_intent.payment_failed']);
    await expect(ctx.emu.completeAuthentication(intent.id, true)).rejects.toThrow(/not requires_action/);
  });

  it('when confirm=true comes without return_url and without allow_redirects=never, then it is refused and nothing is created', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('return_url');
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(0);
    expect(ctx.emu.events).toHaveLength(0);
  });

  it('when confirm=true carries a return_url or allowed_payment_method_types=[card], then no redirect rule applies', async () => {
    const withReturnUrl = await ctx.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    const cardOnly = await ctx.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });

    expect([withReturnUrl.status, cardOnly.status]).toEqual(['succeeded', 'succeeded']);
    expect(cardOnly.allowed_payment_method_types).toEqual(['card']);
  });

  it('when the removed payment_method_types parameter is sent, then it is refused as unknown (API 2026-10-28)', async () => {
    const error = await stripeError(
      ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams),
    );

    expect([error.statusCode, error.code, error.param]).toEqual([400, 'parameter_unknown', 'payment_method_types']);
  });

  it.each([
    ['usd', 49],
    ['gbp', 29],
    ['jpy', 49],
  ])('when the amount is below the %s minimum (%i), then it is refused as amount_too_small', async (currency, amount) => {
    const error = await stripeError(ctx.stripe.paymentIntents.create({ amount, currency }));

    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('amount_too_small');
    expect(error.param).toBe('amount');
  });

  it('when the amount equals the currency minimum, then it is accepted', async () => {
    const intent = await ctx.stripe.paymentIntents.create({ amount: 30, currency: 'gbp' });

    expect(intent.amount).toBe(30);
    expect(intent.status).toBe('requires_payment_method');
  });

  it('when the amount is not an integer, then it is refused', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.create({ amount: 10.5, currency: 'usd' }));

    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('Invalid integer');
  });

  it('when searching by metadata order_id, then only that order’s PaymentIntents come back', async () => {
    const mine = await paidIntent(ctx.stripe, 1000, { order_id: 'ord_A' });
    await paidIntent(ctx.stripe, 1000, { order_id: 'ord_B' });

    const result = await ctx.stripe.paymentIntents.search({ query: "metadata['order_id']:'ord_A'" });

    expect(result.object).toBe('search_result');
    expect(result.data.map((intent) => intent.id)).toEqual([mine.id]);
    expect(result.has_more).toBe(false);
  });

  it('when a query uses syntax the emulator does not support, then it is refused rather than guessed', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.search({ query: "metadata['order_id']~'ord'" }));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('query');
  });

  it('when a created PaymentIntent is cancelled, then it is canceled and can no longer be confirmed', async () => {
    const intent = await ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...NO_REDIRECTS });

    const canceled = await ctx.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
    const error = await stripeError(ctx.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }));

    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_reason).toBe('abandoned');
    expect(error.code).toBe('payment_intent_unexpected_state');
    await expect(ctx.stripe.paymentIntents.cancel(intent.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('when capture_method is manual, then the card is authorised first and captured later', async () => {
    const intent = await ctx.stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      ...NO_REDIRECTS,
    });
    expect(intent.status).toBe('requires_capture');
    expect(intent.amount_capturable).toBe(5000);

    const captured = await ctx.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 4000 });

    expect(captured.status).toBe('succeeded');
    expect(captured.amount_received).toBe(4000);
  });

  it('when latest_charge is expanded, then the charge object is embedded', async () => {
    const intent = await paidIntent(ctx.stripe);

    const expanded = await ctx.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });

    const charge = expanded.latest_charge as Stripe.Charge;
    expect(charge.object).toBe('charge');
    expect(charge.amount_captured).toBe(2000);
    expect(charge.payment_intent).toBe(intent.id);
  });

  it('when an unknown PaymentIntent id is retrieved, then it is a 404 resource_missing on id', async () => {
    const error = await stripeError(ctx.stripe.paymentIntents.retrieve('pi_doesnotexist'));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('id');
  });

  it('when a PaymentIntent is confirmed with a PaymentMethod id that names nothing, then it is a 400 resource_missing on payment_method and nothing is created', async () => {
    const error = await stripeError(
      ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_made_up_by_a_client', confirm: true, ...NO_REDIRECTS }),
    );

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([error.statusCode, error.code, error.param]).toEqual([400, 'resource_missing', 'payment_method']);
    expect(ctx.emu.createdObjects('payment_intent')).toEqual([]);
  });
});
