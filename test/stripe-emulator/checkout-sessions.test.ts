import Stripe from 'stripe';
import { inMinutes, stripeError, useEmulator } from './support/harness';

function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    line_items: [
      { price_data: { currency: 'usd', unit_amount: 1250, product_data: { name: 'Mug' } }, quantity: 2 },
      { price_data: { currency: 'usd', unit_amount: 499, product_data: { name: 'Shipping' } }, quantity: 1 },
    ],
    success_url: 'https://shop.example/done?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://shop.example/cart',
    metadata: { order_id: 'ord_7' },
    payment_intent_data: { metadata: { order_id: 'ord_7' } },
    ...overrides,
  };
}

describe('Stripe emulator: Checkout Sessions', () => {
  const ctx = useEmulator();

  it('when a session is created, then it is open, unpaid, totals its lines and links to the emulator’s hosted page', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());

    expect(session.id).toMatch(/^cs_test_/);
    expect(session.status).toBe('open');
    expect(session.payment_status).toBe('unpaid');
    expect(session.amount_total).toBe(2 * 1250 + 499);
    expect(session.url).toBe(`${ctx.emu.url}/_emulator/checkout/${session.id}`);
    expect(session.payment_intent).toBeNull();
    expect(session.metadata).toEqual({ order_id: 'ord_7' });
  });

  it.each([
    ['29 minutes', 29],
    ['25 hours', 25 * 60],
  ])('when expires_at is %s ahead, then it is refused', async (_label, minutes) => {
    const error = await stripeError(ctx.stripe.checkout.sessions.create(sessionParams({ expires_at: inMinutes(minutes) })));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('expires_at');
    expect(ctx.emu.createdObjects('checkout.session')).toHaveLength(0);
  });

  it('when expires_at is 31 minutes ahead, then it is kept as given', async () => {
    const expiresAt = inMinutes(31);

    const session = await ctx.stripe.checkout.sessions.create(sessionParams({ expires_at: expiresAt }));

    expect(session.expires_at).toBe(expiresAt);
  });

  it('when the buyer pays, then the session completes with a succeeded PaymentIntent carrying payment_intent_data metadata', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());

    await ctx.emu.completeCheckoutSession(session.id);

    const completed = await ctx.stripe.checkout.sessions.retrieve(session.id);
    expect(completed.status).toBe('complete');
    expect(completed.payment_status).toBe('paid');
    expect(completed.payment_intent).toMatch(/^pi_/);
    const intent = await ctx.stripe.paymentIntents.retrieve(completed.payment_intent as string);
    expect(intent.status).toBe('succeeded');
    expect(intent.amount_received).toBe(2999);
    expect(intent.metadata).toEqual({ order_id: 'ord_7' });
    const types = ctx.emu.events.map((event) => event.type);
    expect(types).toContain('payment_intent.succeeded');
    expect(types[types.length - 1]).toBe('checkout.session.completed');
  });

  it('when sessions are listed by payment_intent, then the paid session is found', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());
    await ctx.stripe.checkout.sessions.create(sessionParams());
    await ctx.emu.completeCheckoutSession(session.id);
    const paymentIntent = (await ctx.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;

    const list = await ctx.stripe.checkout.sessions.list({ payment_intent: paymentIntent });

    expect(list.data.map((item) => item.id)).toEqual([session.id]);
  });

  it('when the buyer’s card is declined, then the session stays open and can still be paid', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());

    await ctx.emu.completeCheckoutSession(session.id, { paymentMethod: 'pm_card_chargeDeclined' });
    const afterDecline = await ctx.stripe.checkout.sessions.retrieve(session.id);
    await ctx.emu.completeCheckoutSession(session.id);
    const afterPay = await ctx.stripe.checkout.sessions.retrieve(session.id);

    expect(afterDecline.status).toBe('open');
    expect(afterPay.status).toBe('complete');
    expect(afterPay.payment_intent).toBe(afterDecline.payment_intent);
  });

  it('when an open session is expired through the API, then it is expired, emits checkout.session.expired and cannot be expired again', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());

    const expired = await ctx.stripe.checkout.sessions.expire(session.id);
    const again = await stripeError(ctx.stripe.checkout.sessions.expire(session.id));

    expect(expired.status).toBe('expired');
    expect(expired.url).toBeNull();
    expect(ctx.emu.events.map((event) => event.type)).toEqual(['checkout.session.expired']);
    expect(again.statusCode).toBe(400);
    await expect(ctx.emu.completeCheckoutSession(session.id)).rejects.toThrow(/expired/);
  });

  it('when a completed session is expired, then it is refused', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());
    await ctx.emu.completeCheckoutSession(session.id);

    const error = await stripeError(ctx.stripe.checkout.sessions.expire(session.id));

    expect(error.statusCode).toBe(400);
    expect((await ctx.stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  });

  it('when the emulator expires a session (the buyer walked away), then checkout.session.expired is emitted', async () => {
    const session = await ctx.stripe.checkout.sessions.create(sessionParams());

    await ctx.emu.expireCheckoutSession(session.id);

    const event = ctx.emu.events.find((item) => item.type === 'checkout.session.expired');
    expect((event?.data.object as { id: string; status: string }) ?? {}).toMatchObject({ id: session.id, status: 'expired' });
  });

  it('when line items are missing a product name, then the parameter is named in the error', async () => {
    const error = await stripeError(
      ctx.stripe.checkout.sessions.create(
        sessionParams({
          line_items: [
            { price_data: { currency: 'usd', unit_amount: 1000, product_data: { description: 'no name' } as unknown as { name: string } }, quantity: 1 },
          ],
        }),
      ),
    );

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('line_items[0][price_data][product_data][name]');
  });

  it('when the total is below the currency minimum, then it is refused as amount_too_small', async () => {
    const error = await stripeError(
      ctx.stripe.checkout.sessions.create(
        sessionParams({ line_items: [{ price_data: { currency: 'usd', unit_amount: 20, product_data: { name: 'Sticker' } }, quantity: 2 }] }),
      ),
    );

    expect(error.code).toBe('amount_too_small');
  });

  it('when mode is subscription, then the emulator refuses it explicitly', async () => {
    const error = await stripeError(ctx.stripe.checkout.sessions.create(sessionParams({ mode: 'subscription' })));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('mode');
  });
});
