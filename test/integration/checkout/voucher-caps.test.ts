import { Cart, CartStatus, Order, OrderStatus, RedemptionStatus, Voucher, VoucherKind, VoucherRedemption } from '../../../src/entities';
import { cartApi } from '../../factories/cart.factory';
import { buildVoucher } from '../../factories/catalog.factory';
import { availableUnits, buildReadyCart, confirmViaApi, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

/**
 * Which cap a refused buyer hears about: their own (VOUCHER_ALREADY_REDEEMED)
 * before the global one (VOUCHER_EXHAUSTED), when applying the code and when
 * checkout holds it — the buyer whose own use exhausted a code is told they used it.
 */
describe('voucher caps at checkout', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();

  async function usedOnceOnlyVoucher() {
    const buyer = await getApp().customer();
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 200, maxRedemptions: 1, perCustomerLimit: 1 });
    const first = await buildReadyCart(em(), { customerId: buyer.id, vouchers: [voucher] });
    const placed = await confirmViaApi(getApp(), { cartId: first.cart.id, versionKey: first.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, buyer.token);
    expect(placed).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED', voucherCodes: [voucher.code] } });
    return { buyer, voucher };
  }

  it('when a customer applies a once-only voucher they already used, then VOUCHER_ALREADY_REDEEMED, and for another customer VOUCHER_EXHAUSTED', async () => {
    const { buyer, voucher } = await usedOnceOnlyVoucher();
    const other = await getApp().customer();
    const ownCart = await buildReadyCart(em(), { customerId: buyer.id });
    const otherCart = await buildReadyCart(em(), { customerId: other.id });

    const own = await cartApi(getApp(), buyer.token).applyVoucher(ownCart.cart.id, voucher.code);
    const others = await cartApi(getApp(), other.token).applyVoucher(otherCart.cart.id, voucher.code);

    expect(own).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_ALREADY_REDEEMED', field: 'code' });
    expect(others).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_EXHAUSTED', field: 'code' });
  });

  it('when a customer checks out again with a once-only voucher they already used, then VOUCHER_ALREADY_REDEEMED and nothing is held', async () => {
    const { buyer, voucher } = await usedOnceOnlyVoucher();
    const other = await getApp().customer();
    const again = await buildReadyCart(em(), { customerId: buyer.id, lines: [{ price: 1_000, stock: 2, quantity: 1 }], vouchers: [voucher] });
    const stranger = await buildReadyCart(em(), { customerId: other.id, vouchers: [voucher] });

    const own = await confirmViaApi(getApp(), { cartId: again.cart.id, versionKey: again.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, buyer.token);
    const others = await confirmViaApi(getApp(), { cartId: stranger.cart.id, versionKey: stranger.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, other.token);

    expect(own).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_ALREADY_REDEEMED' });
    expect(others).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_EXHAUSTED' });
    expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(1);
    expect(await em().count(VoucherRedemption, { voucher: voucher.id, status: { $ne: RedemptionStatus.RELEASED } })).toBe(1);
    expect(await availableUnits(getApp().orm, again.variants[0].id)).toBe(2);
    expect((await em().findOneOrFail(Cart, { id: again.cart.id })).status).toBe(CartStatus.OPEN);
    expect(await em().count(Order, { status: OrderStatus.PLACED })).toBe(1);
    await assertCheckoutInvariants(getApp().orm);
  });
});
