import Stripe from 'stripe';
import { isAlreadyDone } from '../../src/services/payments/stripe/stripe-errors';
import { paidIntent, stripeError, useEmulator } from './support/harness';

describe('Stripe emulator: transfers and reversals', () => {
  const ctx = useEmulator();

  it('when a transfer is created to a connected account, then it can be retrieved and emits transfer.created', async () => {
    const transfer = await ctx.stripe.transfers.create({
      amount: 1800,
      currency: 'usd',
      destination: 'acct_1Seller',
      transfer_group: 'ord_9',
      metadata: { order_id: 'ord_9' },
    });

    const fetched = await ctx.stripe.transfers.retrieve(transfer.id);
    expect(transfer.id).toMatch(/^tr_/);
    expect(fetched).toMatchObject({ amount: 1800, amount_reversed: 0, reversed: false, destination: 'acct_1Seller', transfer_group: 'ord_9' });
    expect(fetched.metadata).toEqual({ order_id: 'ord_9' });
    expect(ctx.emu.events.map((event) => event.type)).toEqual(['transfer.created']);
  });

  it('when the destination is not an acct_ id, then the transfer is refused on destination', async () => {
    const error = await stripeError(ctx.stripe.transfers.create({ amount: 1000, currency: 'usd', destination: 'seller_42' }));

    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('destination');
  });

  it('when an unknown transfer is retrieved, then it is a 404 resource_missing', async () => {
    const error = await stripeError(ctx.stripe.transfers.retrieve('tr_missing'));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([error.statusCode, error.code]).toEqual([404, 'resource_missing']);
  });

  it('when a transfer is reversed in parts, then the remainder shrinks until the transfer is fully reversed', async () => {
    const transfer = await ctx.stripe.transfers.create({ amount: 1000, currency: 'usd', destination: 'acct_1Seller' });

    const first = await ctx.stripe.transfers.createReversal(transfer.id, { amount: 300, metadata: { refund_id: 'rf_1' } });
    const tooMuch = await stripeError(ctx.stripe.transfers.createReversal(transfer.id, { amount: 701 }));
    const rest = await ctx.stripe.transfers.createReversal(transfer.id);
    const nothingLeft = await stripeError(ctx.stripe.transfers.createReversal(transfer.id, { amount: 1 }));

    expect(first.id).toMatch(/^trr_/);
    expect(first).toMatchObject({ object: 'transfer_reversal', amount: 300, transfer: transfer.id, metadata: { refund_id: 'rf_1' } });
    expect(tooMuch.code).toBe('amount_too_large');
    expect(rest.amount).toBe(700);
    // Stripe has no error code for this: a plain invalid_request_error that says so.
    expect(nothingLeft).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([nothingLeft.statusCode, nothingLeft.code, nothingLeft.message]).toEqual([400, undefined, `The transfer ${transfer.id} is already fully reversed.`]);
    expect(isAlreadyDone(nothingLeft)).toBe(true);
    expect(isAlreadyDone(tooMuch)).toBe(false);
    const after = await ctx.stripe.transfers.retrieve(transfer.id);
    expect([after.amount_reversed, after.reversed, after.reversals.data.map((reversal) => reversal.amount)]).toEqual([1000, true, [700, 300]]);
    expect(ctx.emu.events.filter((event) => event.type === 'transfer.reversed')).toHaveLength(2);
  });

  it('when a transfer is funded by a charge, then it cannot move more than the charge brought in', async () => {
    const intent = await paidIntent(ctx.stripe, 1000);

    const error = await stripeError(
      ctx.stripe.transfers.create({ amount: 1001, currency: 'usd', destination: 'acct_1Seller', source_transaction: intent.latest_charge as string }),
    );
    const transfer = await ctx.stripe.transfers.create({
      amount: 900,
      currency: 'usd',
      destination: 'acct_1Seller',
      source_transaction: intent.latest_charge as string,
    });

    expect(error.statusCode).toBe(400);
    expect(transfer.source_transaction).toBe(intent.latest_charge);
  });
});
