import Stripe from 'stripe';
import { paidIntent, stripeError, useEmulator } from './support/harness';

describe('Stripe emulator: refunds', () => {
  const ctx = useEmulator();

  it('when a paid PaymentIntent is refunded without amount, then the whole remainder is refunded and events follow', async () => {
    const intent = await paidIntent(ctx.stripe, 3000);

    const refund = await ctx.stripe.refunds.create({ payment_intent: intent.id, reason: 'requested_by_customer', metadata: { order_id: 'ord_1' } });

    expect(refund.id).toMatch(/^re_/);
    expect(refund.amount).toBe(3000);
    expect(refund.status).toBe('succeeded');
    expect(refund.payment_intent).toBe(intent.id);
    expect(refund.metadata).toEqual({ order_id: 'ord_1' });
    const types = ctx.emu.events.map((event) => event.type);
    expect(types.slice(-2)).toEqual(['refund.created', 'charge.refunded']);
    const charge = ctx.emu.events[ctx.emu.events.length - 1]?.data.object as Stripe.Charge;
    expect([charge.amount_refunded, charge.refunded]).toEqual([3000, true]);
  });

  it.each(['duplicate', 'fraudulent', 'requested_by_customer'])('when the reason is %s, then the refund is accepted', async (reason) => {
    const intent = await paidIntent(ctx.stripe);

    const refund = await ctx.stripe.refunds.create({ payment_intent: intent.id, reason: reason as Stripe.RefundCreateParams.Reason });

    expect(refund.reason).toBe(reason);
  });

  it('when the reason is not one of Stripe’s three, then the refund is refused and nothing is refunded', async () => {
    const intent = await paidIntent(ctx.stripe);

    const error = await stripeError(
      ctx.stripe.refunds.create({ payment_intent: intent.id, reason: 'customer_changed_mind' as Stripe.RefundCreateParams.Reason }),
    );

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('reason');
    expect(ctx.emu.createdObjects('refund')).toHaveLength(0);
  });

  it('when partial refunds would exceed what is left, then amount_too_large; once all is refunded, charge_already_refunded', async () => {
    const intent = await paidIntent(ctx.stripe, 1000);
    await ctx.stripe.refunds.create({ payment_intent: intent.id, amount: 600 });

    const tooLarge = await stripeError(ctx.stripe.refunds.create({ payment_intent: intent.id, amount: 401 }));
    const rest = await ctx.stripe.refunds.create({ payment_intent: intent.id, amount: 400 });
    const already = await stripeError(ctx.stripe.refunds.create({ payment_intent: intent.id }));

    expect(tooLarge.code).toBe('amount_too_large');
    expect(tooLarge.param).toBe('amount');
    expect(rest.amount).toBe(400);
    expect(already.code).toBe('charge_already_refunded');
    expect(ctx.emu.createdObjects('refund').map((refund: Stripe.Refund) => refund.amount)).toEqual([600, 400]);
  });

  it('when a refund names the charge instead of the PaymentIntent, then it refunds that charge', async () => {
    const intent = await paidIntent(ctx.stripe, 1000);

    const refund = await ctx.stripe.refunds.create({ charge: intent.latest_charge as string, amount: 250 });

    expect(refund.charge).toBe(intent.latest_charge);
    expect(refund.payment_intent).toBe(intent.id);
    expect(refund.amount).toBe(250);
  });

  it('when the PaymentIntent has not succeeded, then there is nothing to refund', async () => {
    const intent = await ctx.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });

    const error = await stripeError(ctx.stripe.refunds.create({ payment_intent: intent.id }));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('payment_intent');
  });

  it('when the next refund is held, then it stays pending until settled and then emits refund.updated', async () => {
    const intent = await paidIntent(ctx.stripe, 1000);
    ctx.emu.holdNextRefund();

    const pending = await ctx.stripe.refunds.create({ payment_intent: intent.id, amount: 700 });
    const overPending = await stripeError(ctx.stripe.refunds.create({ payment_intent: intent.id, amount: 301 }));
    await ctx.emu.settleRefund(pending.id, 'succeeded');

    expect(pending.status).toBe('pending');
    expect(overPending.code).toBe('amount_too_large');
    expect((await ctx.stripe.refunds.retrieve(pending.id)).status).toBe('succeeded');
    expect(ctx.emu.events[ctx.emu.events.length - 1]?.type).toBe('refund.updated');
  });

  it('when a pending refund fails, then its amount can be refunded again', async () => {
    const intent = await paidIntent(ctx.stripe, 1000);
    ctx.emu.holdNextRefund();
    const pending = await ctx.stripe.refunds.create({ payment_intent: intent.id });

    await ctx.emu.settleRefund(pending.id, 'failed');
    const retry = await ctx.stripe.refunds.create({ payment_intent: intent.id });

    expect((await ctx.stripe.refunds.retrieve(pending.id)).status).toBe('failed');
    expect(retry.amount).toBe(1000);
    expect(retry.status).toBe('succeeded');
    await expect(ctx.emu.settleRefund(retry.id, 'failed')).rejects.toThrow(/not pending/);
  });

  it('when an unknown refund is retrieved, then it is a 404 resource_missing', async () => {
    const error = await stripeError(ctx.stripe.refunds.retrieve('re_missing'));

    expect([error.statusCode, error.code]).toEqual([404, 'resource_missing']);
  });
});
