import { Cart, Reservation, ReservationStatus, Variant } from '../../../src/entities';
import { releaseExpiredReservations } from '../../../src/services/workers/reservation-expiry.worker';
import { availableUnits, buildReadyCart, confirmViaApi, START_CHECKOUT, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

describe('startCheckout', () => {
  const getApp = useCheckoutApp({ RESERVATION_TTL: '15m', GUEST_HOLD_TTL: '5m' });

  const em = () => getApp().orm.em.fork();
  const start = async (cartId: string) => (await getApp().gql(START_CHECKOUT, { input: { cartId } })).data.startCheckout;

  it("when a guest's cart starts checkout, then every line is reserved until GUEST_HOLD_TTL and the key to confirm with is returned", async () => {
    const ready = await buildReadyCart(em(), {
      lines: [
        { price: 1_000, stock: 5, quantity: 2 },
        { price: 400, stock: 3, quantity: 3 },
      ],
    });
    const before = Date.now();

    const preview = await start(ready.cart.id);

    expect(preview).toMatchObject({
      __typename: 'CheckoutPreview',
      versionKey: ready.versionKey,
      warnings: [],
      cart: { id: ready.cart.id, versionKey: ready.versionKey },
    });
    const expires = new Date(preview.reservationsExpireAt).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 1_000);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(3);
    expect(await availableUnits(getApp().orm, ready.variants[1].id)).toBe(0);
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });
  });

  it('when a cart starts checkout, then pricesValidatedAt is stamped with the time of this preview', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).pricesValidatedAt).toBeNull();
    const before = Date.now();

    expect((await start(ready.cart.id)).__typename).toBe('CheckoutPreview');

    const stamped = (await em().findOneOrFail(Cart, { id: ready.cart.id })).pricesValidatedAt;
    expect(stamped).toBeInstanceOf(Date);
    // Stored with second precision on some dialects: allow the second it was truncated to.
    expect(stamped!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(stamped!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('when startCheckout is called again, then the reservations are refreshed, never doubled', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 2 }] });
    await start(ready.cart.id);
    await start(ready.cart.id);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(3);
    expect(await em().count(Reservation, { cartId: ready.cart.id, status: ReservationStatus.ACTIVE })).toBe(1);
  });

  it('when one line is short, then InsufficientStockError names it and no line is reserved', async () => {
    const ready = await buildReadyCart(em(), {
      lines: [
        { price: 1_000, stock: 5, quantity: 2 },
        { price: 400, stock: 1, quantity: 2 },
      ],
    });
    const result = await start(ready.cart.id);
    expect(result).toMatchObject({ errorCode: 'INSUFFICIENT_STOCK', shortfalls: [{ variantId: ready.variants[1].id, requested: 2, available: 1 }] });
    expect(await em().count(Reservation, {})).toBe(0);
  });

  it('when the catalog price moved, then the lines take the new price, a warning says so and the new key confirms', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    await em().nativeUpdate(Variant, { id: ready.variants[0].id }, { price: 1_200 });

    const preview = await start(ready.cart.id);

    expect(preview.versionKey).not.toBe(ready.versionKey);
    expect(preview.warnings).toHaveLength(1);
    expect(preview.cart.totals.total.amount).toBe(1_200 + 500);
    const confirmed = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: preview.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(confirmed).toMatchObject({ __typename: 'CheckoutConfirmation', order: { totals: { subtotal: { amount: 1_200 } } } });
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(4);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when reservations pass their TTL, then the expiry worker releases them and the units are available again', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 2, quantity: 2 }] });
    await start(ready.cart.id);
    expect(await releaseExpiredReservations(em(), new Date())).toBe(0);

    const released = await releaseExpiredReservations(em(), new Date(Date.now() + 16 * 60_000));

    expect(released).toBe(1);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(getApp().orm);
  });
});
