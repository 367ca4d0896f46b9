import { Cart, CartStatus, Order, Reservation, ReservationStatus, VoucherKind, VoucherRedemption } from '../../../src/entities';
import { buildVoucher } from '../../factories/catalog.factory';
import { availableUnits, buildReadyCart, confirmViaApi, START_CHECKOUT, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

/**
 * Issue 9: a guest cash-on-delivery order took a variant to 0 for good
 * (nothing paid, only an admin could cancel). GUEST_COD is off by default: a
 * guest COD confirm is refused before the checkout starts and changes nothing.
 * (The shared test app turns it on for the many tests that check out as guests.)
 */
describe('guest cash on delivery, off by default', () => {
  const getApp = useCheckoutApp({ GUEST_COD: 'off' });
  const em = () => getApp().orm.em.fork();
  const refusal = { __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'paymentMethod' };

  it('when the default applies, then guest cash on delivery is off', () => {
    expect(getApp().config.guestCashOnDelivery).toBe(false);
  });

  it('when a guest confirms cash on delivery, then VALIDATION_FAILED and nothing changes: no order, no stock taken, no voucher used', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 200, maxRedemptions: 1 });
    const ready = await buildReadyCart(em(), { lines: [{ price: 3_000, stock: 2, quantity: 2 }], vouchers: [voucher] });
    const cartBefore = await em().findOneOrFail(Cart, { id: ready.cart.id });

    const answer = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(answer).toMatchObject(refusal);
    expect(answer.message).toMatch(/signed-in account/);
    expect(await em().count(Order, {})).toBe(0);
    expect(await em().count(Reservation, {})).toBe(0);
    expect(await em().count(VoucherRedemption, {})).toBe(0);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(2);
    expect(await em().findOneOrFail(Cart, { id: ready.cart.id })).toMatchObject({ status: CartStatus.OPEN, version: cartBefore.version });
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a guest with a preview hold confirms cash on delivery, then the refusal leaves the preview exactly as it was', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 3_000, stock: 5, quantity: 2 }] });
    expect((await getApp().gql(START_CHECKOUT, { input: { cartId: ready.cart.id } })).data.startCheckout.__typename).toBe('CheckoutPreview');
    const held = await em().find(Reservation, { cartId: ready.cart.id });

    expect(await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' })).toMatchObject(refusal);

    expect(await em().find(Reservation, { cartId: ready.cart.id })).toEqual(held);
    expect(held.map((r) => r.status)).toEqual([ReservationStatus.ACTIVE]);
    expect(await em().count(Order, {})).toBe(0);
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });
  });

  it('when a signed-in customer confirms a guest cart with cash on delivery, then it is refused too: the order would have no owner', async () => {
    const customer = await getApp().customer();
    const ready = await buildReadyCart(em(), { lines: [{ price: 3_000, stock: 2, quantity: 1 }] });

    const answer = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, customer.token);

    expect(answer).toMatchObject(refusal);
    expect(await em().count(Order, {})).toBe(0);
  });

  it('when a customer confirms their own cart with cash on delivery, then the order is placed', async () => {
    const customer = await getApp().customer();
    const ready = await buildReadyCart(em(), { customerId: customer.id, lines: [{ price: 3_000, stock: 2, quantity: 1 }] });

    const answer = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, customer.token);

    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' } });
    await assertCheckoutInvariants(getApp().orm);
  });

  it("when someone names a customer's cart for cash on delivery, then the answer is NOT_FOUND as before: the guard tells nothing about other carts", async () => {
    const owner = await getApp().customer();
    const ready = await buildReadyCart(em(), { customerId: owner.id, lines: [{ price: 3_000, stock: 2, quantity: 1 }] });

    const answer = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'NOT_FOUND' });
  });
});

describe('guest cash on delivery with GUEST_COD=on', () => {
  const getApp = useCheckoutApp({ GUEST_COD: 'on' });

  it('when a guest confirms cash on delivery, then the order is placed', async () => {
    const ready = await buildReadyCart(getApp().orm.em.fork(), { lines: [{ price: 3_000, stock: 2, quantity: 1 }] });

    const answer = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' } });
    await assertCheckoutInvariants(getApp().orm);
  });
});
