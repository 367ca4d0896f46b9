import { Cart, CartStatus, IdempotencyRecord, Order, Reservation, ReservationStatus, StockLevel } from '../../../src/entities';
import { availableUnits, buildReadyCart, confirmViaApi, START_CHECKOUT, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

/** Invariant 5 at confirm: the binding check is made there, under the lock, and fails closed. */
describe('confirmCheckout stock check', () => {
  const getApp = useCheckoutApp({ RESERVATION_TTL: '15m' });

  const em = () => getApp().orm.em.fork();
  const liveReservations = (cartId: string) => em().count(Reservation, { cartId, status: ReservationStatus.ACTIVE, expiresAt: { $gt: new Date() } });

  it("when the preview's reservation lapsed and another buyer took the last unit, then confirm answers InsufficientStockError and holds nothing", async () => {
    const first = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 1, quantity: 1 }] });
    const variant = first.variants[0];
    expect((await getApp().gql(START_CHECKOUT, { input: { cartId: first.cart.id } })).data.startCheckout.__typename).toBe('CheckoutPreview');
    // The reservation TTL passes (not yet swept by the expiry worker): the unit is free for anyone again.
    await em().nativeUpdate(Reservation, { cartId: first.cart.id }, { expiresAt: new Date(Date.now() - 1_000) });
    const second = await buildReadyCart(em(), { variants: [{ variant, quantity: 1 }] });
    const taken = await confirmViaApi(getApp(), { cartId: second.cart.id, versionKey: second.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(taken).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' } });

    const late = await confirmViaApi(getApp(), { cartId: first.cart.id, versionKey: first.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(late).toMatchObject({
      __typename: 'InsufficientStockError',
      errorCode: 'INSUFFICIENT_STOCK',
      shortfalls: [{ variantId: variant.id, requested: 1, available: 0 }],
    });
    expect(await liveReservations(first.cart.id)).toBe(0);
    expect((await em().findOneOrFail(StockLevel, { variant: variant.id })).onHand).toBe(0);
    expect(await availableUnits(getApp().orm, variant.id)).toBe(0);
    expect(await em().count(Order, { cartId: first.cart.id })).toBe(0);
    expect((await em().findOneOrFail(Cart, { id: first.cart.id })).status).toBe(CartStatus.OPEN);
    expect(await em().count(IdempotencyRecord, { key: `${first.cart.id}:${first.versionKey}` })).toBe(0);
    // Only the lapsed preview row of the first cart is still ACTIVE (the expiry worker's to sweep).
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });
  });

  it("when a line's variant has no stock row at all, then confirm fails closed with InsufficientStockError and holds nothing", async () => {
    const ready = await buildReadyCart(em(), {
      lines: [
        { price: 1_000, stock: 5, quantity: 1 },
        { price: 400, stock: 3, quantity: 1 },
      ],
    });
    const unstocked = ready.variants[1];
    await em().nativeDelete(StockLevel, { variant: unstocked.id });

    const result = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(result).toMatchObject({ __typename: 'InsufficientStockError', shortfalls: [{ variantId: unstocked.id, requested: 1, available: 0 }] });
    expect(await em().count(Reservation, { cartId: ready.cart.id })).toBe(0);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(5);
    expect(await em().count(Order, {})).toBe(0);
    expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).status).toBe(CartStatus.OPEN);
    await assertCheckoutInvariants(getApp().orm);
  });
});
