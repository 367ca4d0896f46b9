import { CartStatus, RedemptionStatus, VoucherKind, VoucherRedemption, type Voucher } from '../../../src/entities';
import { priceCart } from '../../../src/services/pricing/pricing-engine';
import { buildProduct, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { anAddress, buildCart, cartApi } from '../../factories/cart.factory';
import { minutesFromNow, useCartTestApp } from './cart-test-app';

describe('vouchers on carts', () => {
  const h = useCartTestApp();

  const em = () => h.app.orm.em.fork();

  /** A guest cart holding one line worth `subtotal`. */
  const cartWorth = async (subtotal = 10_000, email: string | null = 'guest@example.com', token?: string) => {
    const {
      variants: [variant],
    } = await buildProduct(em(), { variants: [{ price: subtotal, currency: 'EUR', stock: 10 }] });
    const api = cartApi(h.app, token);
    const cart = await api.create({ email });
    return { api, variant, cart: await api.addLine(cart.id, variant.id, 1) };
  };

  const redemptions = async (voucher: Voucher, customerKey: string, statuses: RedemptionStatus[]) => {
    const fork = em();
    statuses.forEach((status, index) => fork.create(VoucherRedemption, { voucher: voucher.id, customerKey, slot: index + 1, status }));
    await fork.flush();
  };

  it('when a voucher code is applied in any letter case, then the cart lists it, discounts and bumps the version', async () => {
    await buildVoucher(em(), { code: 'SPRING10', kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    const { api, cart } = await cartWorth(10_000);

    const result = await api.applyVoucher(cart.id, '  spring10 ');

    expect(result).toMatchObject({
      __typename: 'Cart',
      voucherCodes: ['SPRING10'],
      version: cart.version + 1,
      totals: { subtotal: { amount: 10_000 }, discount: { amount: 1_000 }, total: { amount: 9_000 } },
    });
    expect(result.lines[0]).toMatchObject({ discount: { amount: 1_000 }, total: { amount: 9_000 } });
    expect(result.versionKey).not.toBe(cart.versionKey);
  });

  it('when a voucher already on the cart is applied again, then nothing changes, not even the version', async () => {
    await buildVoucher(em(), { code: 'TWICE' });
    const { api, cart } = await cartWorth();
    const first = await api.applyVoucher(cart.id, 'TWICE');
    const again = await api.applyVoucher(cart.id, 'twice');
    expect(again).toMatchObject({ __typename: 'Cart', voucherCodes: ['TWICE'], version: first.version, versionKey: first.versionKey });
  });

  it('when no voucher has the code, then VOUCHER_NOT_FOUND', async () => {
    const { api, cart } = await cartWorth();
    expect(await api.applyVoucher(cart.id, 'NOPE')).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_NOT_FOUND', field: 'code' });
  });

  const refusals: [string, Parameters<typeof buildVoucher>[1], string][] = [
    ['it is a CREDIT voucher', { kind: VoucherKind.CREDIT, value: 500, currency: 'EUR' }, 'VOUCHER_NOT_APPLICABLE'],
    ['it is for another currency', { kind: VoucherKind.AMOUNT_OFF, value: 500, currency: 'USD' }, 'VOUCHER_NOT_APPLICABLE'],
    ['it starts later', { startsAt: minutesFromNow(1) }, 'VOUCHER_NOT_STARTED'],
    ['it has ended', { endsAt: minutesFromNow(-1) }, 'VOUCHER_EXPIRED'],
    ['it ends exactly now', { endsAt: minutesFromNow(0) }, 'VOUCHER_EXPIRED'],
    ['its redemptions are used up', { maxRedemptions: 3, redemptionCount: 3 }, 'VOUCHER_EXHAUSTED'],
    ['the subtotal is below its minimum', { minSubtotal: 10_001 }, 'VOUCHER_NOT_APPLICABLE'],
    // The first failing check decides the code.
    ['it is CREDIT and has ended', { kind: VoucherKind.CREDIT, value: 500, endsAt: minutesFromNow(-1) }, 'VOUCHER_NOT_APPLICABLE'],
    ['it has ended and is used up', { endsAt: minutesFromNow(-1), maxRedemptions: 1, redemptionCount: 1 }, 'VOUCHER_EXPIRED'],
    ['it is used up and the subtotal too low', { maxRedemptions: 1, redemptionCount: 1, minSubtotal: 20_000 }, 'VOUCHER_EXHAUSTED'],
  ];

  it.each(refusals)('when %s, then applyVoucher answers %s and the cart is unchanged', async (_label, overrides, errorCode) => {
    const voucher = await buildVoucher(em(), overrides);
    const { api, cart } = await cartWorth(10_000);
    expect(await api.applyVoucher(cart.id, voucher.code)).toMatchObject({ __typename: 'UserError', errorCode, field: 'code' });
    expect(await api.get(cart.id)).toMatchObject({ voucherCodes: [], version: cart.version });
  });

  it('when the voucher is still within its window and below its caps, then it applies', async () => {
    const voucher = await buildVoucher(em(), {
      startsAt: minutesFromNow(0),
      endsAt: minutesFromNow(1),
      maxRedemptions: 3,
      redemptionCount: 2,
      minSubtotal: 10_000,
    });
    const { api, cart } = await cartWorth(10_000);
    expect((await api.applyVoucher(cart.id, voucher.code)).voucherCodes).toEqual([voucher.code]);
  });

  it('when a signed-in customer has used up their per-customer limit, then VOUCHER_ALREADY_REDEEMED; released uses do not count', async () => {
    const customer = await h.app.customer();
    const voucher = await buildVoucher(em(), { perCustomerLimit: 2 });
    await redemptions(voucher, customer.id, [RedemptionStatus.CONSUMED, RedemptionStatus.RELEASED]);
    const { api, cart } = await cartWorth(10_000, null, customer.token);
    expect((await api.applyVoucher(cart.id, voucher.code)).__typename).toBe('Cart');

    const other = await buildVoucher(em(), { perCustomerLimit: 2 });
    await redemptions(other, customer.id, [RedemptionStatus.CONSUMED, RedemptionStatus.HELD]);
    expect(await api.applyVoucher(cart.id, other.code)).toMatchObject({ errorCode: 'VOUCHER_ALREADY_REDEEMED' });
  });

  it("when a guest's email has used up the per-customer limit, then VOUCHER_ALREADY_REDEEMED whatever the email's letter case", async () => {
    const voucher = await buildVoucher(em(), { perCustomerLimit: 1 });
    await redemptions(voucher, 'email:guest@example.com', [RedemptionStatus.HELD]);
    const { api, cart } = await cartWorth(10_000, 'Guest@Example.com');
    expect(await api.applyVoucher(cart.id, voucher.code)).toMatchObject({ errorCode: 'VOUCHER_ALREADY_REDEEMED' });

    const stranger = await cartWorth(10_000, 'someone-else@example.com');
    expect((await stranger.api.applyVoucher(stranger.cart.id, voucher.code)).voucherCodes).toEqual([voucher.code]);
  });

  it('when a voucher is removed, then the discount goes and the version moves; removing one not on the cart is VOUCHER_NOT_FOUND', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 5_000 });
    const { api, cart } = await cartWorth(10_000);
    const applied = await api.applyVoucher(cart.id, voucher.code);

    const removed = await api.removeVoucher(cart.id, voucher.code.toLowerCase());

    expect(removed).toMatchObject({ voucherCodes: [], version: applied.version + 1, totals: { discount: { amount: 0 }, total: { amount: 10_000 } } });
    expect(removed.versionKey).toBe(cart.versionKey);
    expect(await api.removeVoucher(cart.id, voucher.code)).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_NOT_FOUND', field: 'code' });
  });

  it('when the code is 100 KB long, then the input is refused cleanly and nothing is written', async () => {
    const { api, cart } = await cartWorth();
    for (const name of ['applyVoucher', 'removeVoucher'] as const) {
      const response = await api.send(name, { cartId: cart.id, code: 'A'.repeat(100 * 1024) });
      expect(response.data).toBeFalsy();
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
    }
    expect(await api.get(cart.id)).toMatchObject({ voucherCodes: [], version: cart.version });
  });

  it('when the cart is closed, then applyVoucher answers CART_CLOSED', async () => {
    const voucher = await buildVoucher(em());
    const cart = await buildCart(em(), { status: CartStatus.CONVERTED });
    expect(await cartApi(h.app).applyVoucher(cart.id, voucher.code)).toMatchObject({ errorCode: 'CART_CLOSED' });
  });

  it('when a cart has PERCENT_OFF and FREE_SHIPPING vouchers and a taxed address, then its totals equal priceCart on the same input', async () => {
    const fork = em();
    const {
      variants: [shirt, mug],
    } = await buildProduct(fork, {
      variants: [
        { price: 2_499, currency: 'EUR', stock: 20 },
        { price: 1_333, currency: 'EUR', stock: 20 },
      ],
    });
    const method = await buildShippingMethod(fork, { price: 795, currency: 'EUR' });
    await buildTaxRate(fork, 'FR', 2_000);
    await buildVoucher(fork, { code: 'THIRD', kind: VoucherKind.PERCENT_OFF, value: 3_333 });
    await buildVoucher(fork, { code: 'SHIPFREE', kind: VoucherKind.FREE_SHIPPING });
    const api = cartApi(h.app);
    const created = await api.create();
    await api.addLine(created.id, shirt.id, 3);
    await api.addLine(created.id, mug.id, 2);
    await api.setShippingMethod(created.id, method.id);
    await api.setShippingAddress(created.id, anAddress({ country: 'FR' }));
    await api.applyVoucher(created.id, 'third');
    const cart = await api.applyVoucher(created.id, 'shipfree');

    const [shirtLine, mugLine] = cart.lines;
    const expected = priceCart({
      lines: [
        { lineId: shirtLine.id, variantId: shirt.id, quantity: 3, unitPrice: 2_499 },
        { lineId: mugLine.id, variantId: mug.id, quantity: 2, unitPrice: 1_333 },
      ],
      vouchers: [
        { code: 'THIRD', kind: 'PERCENT_OFF', value: 3_333 },
        { code: 'SHIPFREE', kind: 'FREE_SHIPPING', value: 0 },
      ],
      shippingPrice: 795,
      taxRateBps: 2_000,
    });
    const amounts = (totals: Record<string, { amount: number }>) => Object.fromEntries(Object.entries(totals).map(([name, money]) => [name, money.amount]));

    expect(amounts(cart.totals)).toEqual({
      subtotal: expected.subtotal,
      discount: expected.discount,
      shipping: expected.shipping,
      shippingDiscount: expected.shippingDiscount,
      tax: expected.tax,
      total: expected.total,
    });
    // The numbers themselves, so a shared mistake in both paths would still show.
    expect(amounts(cart.totals)).toEqual({ subtotal: 10_163, discount: 3_387, shipping: 795, shippingDiscount: 795, tax: 1_356, total: 8_132 });
    expect(cart.lines.map((line: { discount: { amount: number }; total: { amount: number } }) => [line.discount.amount, line.total.amount])).toEqual(
      expected.lines.map((line) => [line.discount, line.net]),
    );
    expect(shirtLine.discount.amount + mugLine.discount.amount).toBe(cart.totals.discount.amount);
    expect(cart.voucherCodes).toEqual(['THIRD', 'SHIPFREE']);
  });
});
