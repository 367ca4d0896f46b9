import { Cart, CartStatus, Order, OrderStatus, Payment, PaymentStatus, Voucher, VoucherKind } from '../../../src/entities';
import { buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { anAddress } from '../../factories/cart.factory';
import { availableUnits, buildReadyCart, confirmViaApi, grantTestCredit, useCheckoutApp, versionKeyOf } from '../../factories/checkout.factory';
import { creditBalance } from '../../support/credit-balance';
import { assertCheckoutInvariants } from '../../support/invariants';

describe('confirmCheckout', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();

  it('when a guest confirms with cash on delivery, then the order is PLACED with a full snapshot and stock is taken', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 300, maxRedemptions: 1 });
    const ready = await buildReadyCart(em(), { lines: [{ price: 2_000, stock: 5, quantity: 2 }], vouchers: [voucher], shippingPrice: 500 });

    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(result).toMatchObject({
      __typename: 'CheckoutConfirmation',
      replayed: false,
      order: { status: 'PLACED', voucherCodes: [voucher.code], shippingMethodId: ready.shippingMethod.id, shippingMethodName: ready.shippingMethod.name },
      payment: { kind: 'CASH_ON_DELIVERY', status: 'PENDING', amount: { amount: result.order.totals.total.amount, currency: 'EUR' } },
    });
    expect(result.order.totals.subtotal.amount).toBe(4_000);
    expect(result.order.totals.discount.amount).toBe(300);
    const order = await em().findOneOrFail(Order, { id: result.order.id }, { populate: ['lines'] });
    expect(order.lines.getItems().map((l) => ({ qty: l.quantity, unit: l.unitPrice, discount: l.discount, total: l.total }))).toEqual([
      { qty: 2, unit: 2_000, discount: 300, total: 3_700 },
    ]);
    expect(order.cartVersionKey).toBe(ready.versionKey);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(3);
    expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(1);
    expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).status).toBe(CartStatus.CONVERTED);
    await assertCheckoutInvariants(getApp().orm);
  });

  it("when an order is placed through checkout, then its snapshot keeps the shipping address and each line's discount allocation and tax", async () => {
    await buildTaxRate(em(), 'DE', 1_900);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 500 });
    const ready = await buildReadyCart(em(), {
      lines: [
        { price: 2_000, stock: 5, quantity: 2 },
        { price: 1_000, stock: 5, quantity: 1 },
      ],
      vouchers: [voucher],
      shippingPrice: 500,
    });

    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    const order = await em().findOneOrFail(Order, { id: result.order.id }, { populate: ['lines'] });
    expect(order.shippingAddress).toEqual(anAddress());
    // 500 off split 4 000 : 1 000 → 400 / 100; 19 % on each net (3 600, 900), and on the 500 shipping.
    expect(
      order.lines
        .getItems()
        .map((l) => ({ position: l.position, variantId: l.variantId, unit: l.unitPrice, discount: l.discount, total: l.total, tax: l.tax })),
    ).toEqual([
      { position: 0, variantId: ready.variants[0].id, unit: 2_000, discount: 400, total: 3_600, tax: 684 },
      { position: 1, variantId: ready.variants[1].id, unit: 1_000, discount: 100, total: 900, tax: 171 },
    ]);
    expect({ discount: order.discount, tax: order.tax, total: order.total }).toEqual({ discount: 500, tax: 684 + 171 + 95, total: 5_000 - 500 + 500 + 950 });
    // A later change of the cart's address does not reach the snapshot.
    await em().nativeUpdate(Cart, { id: ready.cart.id }, { shippingAddress: anAddress({ city: 'Hamburg' }) });
    expect((await em().findOneOrFail(Order, { id: order.id })).shippingAddress).toEqual(anAddress());
  });

  it('when the same key is confirmed again, then the earlier order is replayed and nothing is taken twice', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 3, quantity: 1 }] });
    const input = { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' };
    const first = await confirmViaApi(getApp(), input);
    const second = await confirmViaApi(getApp(), input);
    expect(second).toMatchObject({ __typename: 'CheckoutConfirmation', replayed: true, order: { id: first.order.id } });
    expect(await em().count(Order, {})).toBe(1);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(2);
  });

  it('when the version key is stale, then CART_VERSION_MISMATCH and the cart stays open', async () => {
    const ready = await buildReadyCart(em());
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: 'f'.repeat(64), paymentMethod: 'CASH_ON_DELIVERY' });
    expect(result).toMatchObject({ errorCode: 'CART_VERSION_MISMATCH' });
    expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).status).toBe(CartStatus.OPEN);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when the cart has no shipping method or no lines, then SHIPPING_METHOD_REQUIRED or CART_EMPTY', async () => {
    const noShipping = await buildReadyCart(em());
    await em().nativeUpdate(Cart, { id: noShipping.cart.id }, { shippingMethod: null });
    const shippingResult = await confirmViaApi(getApp(), {
      cartId: noShipping.cart.id,
      versionKey: await versionKeyOf(em(), noShipping.cart.id),
      paymentMethod: 'CASH_ON_DELIVERY',
    });
    expect(shippingResult).toMatchObject({ errorCode: 'SHIPPING_METHOD_REQUIRED' });

    const empty = await buildReadyCart(em(), { variants: [] });
    const emptyResult = await confirmViaApi(getApp(), { cartId: empty.cart.id, versionKey: empty.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(emptyResult).toMatchObject({ errorCode: 'CART_EMPTY' });
  });

  it('when a guest cart has no email, then VALIDATION_FAILED on email', async () => {
    const ready = await buildReadyCart(em(), { email: null });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(result).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'email' });
  });

  it('when there is not enough stock, then InsufficientStockError with the shortfall and nothing is held', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 1, quantity: 3 }] });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(result).toMatchObject({ errorCode: 'INSUFFICIENT_STOCK', shortfalls: [{ variantId: ready.variants[0].id, requested: 3, available: 1 }] });
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when the total exceeds MAX_ORDER_AMOUNT, then ORDER_AMOUNT_OUT_OF_RANGE and no order exists', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 60_000_000, stock: 5, quantity: 2 }] });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(result).toMatchObject({ errorCode: 'ORDER_AMOUNT_OUT_OF_RANGE' });
    expect(await em().count(Order, {})).toBe(0);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a customer pays with STORE_CREDIT that covers the total, then the ledger is debited and the payment CAPTURED', async () => {
    const buyer = await getApp().customer();
    await grantTestCredit(em(), buyer.id, 10_000);
    const ready = await buildReadyCart(em(), { customerId: buyer.id, lines: [{ price: 2_000, stock: 5, quantity: 1 }], shippingPrice: 500 });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'STORE_CREDIT' }, buyer.token);
    expect(result).toMatchObject({
      order: { status: 'PLACED', totals: { total: { amount: 2_500 }, creditApplied: { amount: 2_500 }, amountDue: { amount: 0 } } },
    });
    expect(result.payment).toMatchObject({ kind: 'STORE_CREDIT', status: 'CAPTURED', amount: { amount: 2_500 } });
    expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(7_500);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when STORE_CREDIT does not cover the total, then INSUFFICIENT_CREDIT and the balance is untouched', async () => {
    const buyer = await getApp().customer();
    await grantTestCredit(em(), buyer.id, 1_000);
    const ready = await buildReadyCart(em(), { customerId: buyer.id, lines: [{ price: 2_000, stock: 5, quantity: 1 }] });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'STORE_CREDIT' }, buyer.token);
    expect(result).toMatchObject({ errorCode: 'INSUFFICIENT_CREDIT' });
    expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(1_000);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when useCredit is set with cash on delivery, then credit pays first and the rest is due on delivery', async () => {
    const buyer = await getApp().customer();
    await grantTestCredit(em(), buyer.id, 700);
    const ready = await buildReadyCart(em(), { customerId: buyer.id, lines: [{ price: 2_000, stock: 5, quantity: 1 }], shippingPrice: 500 });
    const result = await confirmViaApi(
      getApp(),
      { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY', useCredit: true },
      buyer.token,
    );
    expect(result.order.totals).toMatchObject({ total: { amount: 2_500 }, creditApplied: { amount: 700 }, amountDue: { amount: 1_800 } });
    expect(result.payment).toMatchObject({ kind: 'CASH_ON_DELIVERY', amount: { amount: 1_800 } });
    expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(0);
    const payment = await em().findOneOrFail(Payment, { orderId: result.order.id });
    expect(payment.status).toBe(PaymentStatus.PENDING);
    await assertCheckoutInvariants(getApp().orm);
  });

  it("when someone else confirms a customer's cart, then NOT_FOUND", async () => {
    const owner = await getApp().customer();
    const stranger = await getApp().customer();
    const ready = await buildReadyCart(em(), { customerId: owner.id });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, stranger.token);
    expect(result).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(await em().count(Order, { status: OrderStatus.PLACED })).toBe(0);
  });
});
