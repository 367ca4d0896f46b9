import { Cart, CartLine, CartStatus, Order, PaymentMethodKind, Reservation, ReservationStatus } from '../../../src/entities';
import { availableUnits, buildReadyCart, confirmViaApi, directSaga, START_CHECKOUT, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

const T0 = new Date('2031-06-01T09:00:00.000Z');
const minutesAfterT0 = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const GUEST = { customerId: null, isAdmin: false };

/**
 * Issue 9, "an anonymous client can hold all the stock": a cart line above
 * MAX_RESERVED_UNITS_PER_LINE is never reserved, and re-running startCheckout
 * never extends a hold past RESERVATION_TTL from its first reservation.
 */
describe('stock hoarding', () => {
  // The business clock is real time unless a test pins it.
  let pinned: Date | null = null;
  const getApp = useCheckoutApp({ RESERVATION_TTL: '15m' }, { clock: { now: () => new Date(pinned ?? Date.now()) } });
  beforeEach(() => {
    pinned = null;
  });

  const em = () => getApp().orm.em.fork();
  const cap = () => getApp().config.maxReservedUnitsPerLine;
  const start = async (cartId: string) => (await getApp().gql(START_CHECKOUT, { input: { cartId } })).data.startCheckout;
  const capRefusal = () => ({ errorCode: 'VALIDATION_FAILED', field: 'quantity', message: `A cart can hold at most ${cap()} units of one item; lower the quantity.` });
  const activeHolds = (cartId: string) => em().find(Reservation, { cartId, status: ReservationStatus.ACTIVE }, { orderBy: { id: 'asc' } });

  describe('a line above the cap (the cap was lowered after it was added)', () => {
    it('when startCheckout reaches it, then VALIDATION_FAILED, nothing is reserved and the cart is untouched', async () => {
      const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 100, quantity: cap() + 1 }, { price: 500, stock: 10, quantity: 1 }] });
      const before = await em().findOneOrFail(Cart, { id: ready.cart.id });

      expect(await start(ready.cart.id)).toMatchObject({ __typename: 'UserError', ...capRefusal() });

      expect(await em().count(Reservation, {})).toBe(0);
      expect(await em().findOneOrFail(Cart, { id: ready.cart.id })).toMatchObject({ version: before.version, pricesValidatedAt: null, status: CartStatus.OPEN });
      expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(100);
      await assertCheckoutInvariants(getApp().orm);
    });

    it('when confirmCheckout reaches it, then VALIDATION_FAILED: no order, nothing held, the cart still open', async () => {
      const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 100, quantity: cap() + 1 }] });

      const answer = await confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

      expect(answer).toMatchObject({ __typename: 'UserError', ...capRefusal() });
      expect(await em().count(Order, {})).toBe(0);
      expect(await em().count(Reservation, {})).toBe(0);
      expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).status).toBe(CartStatus.OPEN);
      await assertCheckoutInvariants(getApp().orm);
    });

    it('when an earlier preview still holds the line, then confirm refuses it all the same and the preview hold is left as it was', async () => {
      const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 100, quantity: 5 }] });
      expect((await start(ready.cart.id)).__typename).toBe('CheckoutPreview');
      const preview = await activeHolds(ready.cart.id);
      const lowered = directSaga(getApp(), {}, { config: { ...getApp().config, maxReservedUnitsPerLine: 4 } });

      const outcome = await lowered.confirm(em(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY }, GUEST);

      expect(outcome).toMatchObject({ ok: false, failure: { code: 'VALIDATION_FAILED', field: 'quantity' } });
      expect(await em().count(Order, {})).toBe(0);
      expect((await activeHolds(ready.cart.id)).map((r) => [r.id, r.quantity, r.expiresAt.getTime()]))
        .toEqual(preview.map((r) => [r.id, r.quantity, r.expiresAt.getTime()]));
      await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });
    });
  });

  describe('the hold of a preview', () => {
    it('when startCheckout is re-run within the TTL, then expiresAt stays where the first reservation put it', async () => {
      const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 10, quantity: 2 }, { price: 700, stock: 10, quantity: 1 }] });
      const firstEnd = minutesAfterT0(15).getTime();

      pinned = T0;
      expect(new Date((await start(ready.cart.id)).reservationsExpireAt).getTime()).toBe(firstEnd);
      for (const minutes of [5, 10, 14, 14.99]) {
        pinned = minutesAfterT0(minutes);
        expect(new Date((await start(ready.cart.id)).reservationsExpireAt).getTime()).toBe(firstEnd);
      }

      const holds = await activeHolds(ready.cart.id);
      expect(holds.map((r) => r.expiresAt.getTime())).toEqual([firstEnd, firstEnd]);
      // Refreshed, not added to: still 2 + 1 units held.
      expect(holds.map((r) => r.quantity).sort()).toEqual([1, 2]);
    });

    it('when the lines change between two previews, then the new reservations still end with the first hold', async () => {
      const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 10, quantity: 2 }] });
      pinned = T0;
      await start(ready.cart.id);
      await em().nativeUpdate(CartLine, { cart: ready.cart.id }, { quantity: 3 });

      pinned = minutesAfterT0(12);
      const again = await start(ready.cart.id);

      expect(new Date(again.reservationsExpireAt).getTime()).toBe(minutesAfterT0(15).getTime());
      expect((await activeHolds(ready.cart.id)).map((r) => [r.quantity, r.expiresAt.getTime()])).toEqual([[3, minutesAfterT0(15).getTime()]]);
    });

    it('when the hold has lapsed, then the next preview starts a new hold of one TTL, and no unit is counted twice', async () => {
      const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 10, quantity: 2 }] });
      pinned = T0;
      await start(ready.cart.id);

      pinned = minutesAfterT0(16);
      const renewed = await start(ready.cart.id);

      expect(new Date(renewed.reservationsExpireAt).getTime()).toBe(minutesAfterT0(31).getTime());
      expect(await activeHolds(ready.cart.id)).toHaveLength(1);
      await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true, now: pinned });
    });
  });
});
