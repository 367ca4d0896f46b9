import { Variant } from '../../../src/entities';
import { buildReadyCart, confirmViaApi, START_CHECKOUT, versionKeyOf, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

describe('confirmCheckout price guard', () => {
  const getApp = useCheckoutApp({ PRICE_DRIFT_BPS: '500', PRICE_STALE_AFTER: '10m' });

  const em = () => getApp().orm.em.fork();

  it('when a price moved beyond the drift, then PriceChangedError carries the changes and the new key, and the new key confirms', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    await getApp().gql(START_CHECKOUT, { input: { cartId: ready.cart.id } });
    await em().nativeUpdate(Variant, { id: ready.variants[0].id }, { price: 1_100 });

    const refused = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(refused).toMatchObject({
      __typename: 'PriceChangedError',
      errorCode: 'PRICE_CHANGED',
      changes: [{ variantId: ready.variants[0].id, previous: { amount: 1_000 }, current: { amount: 1_100 } }],
    });
    expect(refused.versionKey).toBe(await versionKeyOf(em(), ready.cart.id));
    expect(refused.versionKey).not.toBe(ready.versionKey);
    // The preview's reservations stay: the buyer is still checking out.
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });

    const accepted = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: refused.versionKey, paymentMethod: 'CASH_ON_DELIVERY', acknowledgePriceChange: true });
    expect(accepted).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED', totals: { subtotal: { amount: 1_100 } } } });
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a price moved within the drift on a fresh preview, then confirm accepts the current price', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    await getApp().gql(START_CHECKOUT, { input: { cartId: ready.cart.id } });
    await em().nativeUpdate(Variant, { id: ready.variants[0].id }, { price: 1_040 });

    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(result).toMatchObject({ __typename: 'CheckoutConfirmation', order: { totals: { subtotal: { amount: 1_040 } } } });
  });

  it('when the cart was never previewed and a price moved at all, then the buyer must acknowledge it', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    await em().nativeUpdate(Variant, { id: ready.variants[0].id }, { price: 990 });
    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(result).toMatchObject({ __typename: 'PriceChangedError', changes: [{ previous: { amount: 1_000 }, current: { amount: 990 } }] });
  });

  it('when the cart changes after a confirm, then the new key is a new attempt and the old key still replays the old order', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    const first = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    const replay = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(replay).toMatchObject({ replayed: true, order: { id: first.order.id } });
    const otherKey = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: 'a'.repeat(64), paymentMethod: 'CASH_ON_DELIVERY' });
    expect(otherKey).toMatchObject({ __typename: 'UserError', errorCode: 'CART_CLOSED' });
  });
});
