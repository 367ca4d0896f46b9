import { Cart, CartLine, CartStatus, Order, PaymentMethodKind, Reservation, ReservationStatus } from '../../../src/entities';
import { releaseExpiredReservations } from '../../../src/services/workers/reservation-expiry.worker';
import { availableUnits, buildReadyCart, CONFIRM_CHECKOUT, confirmViaApi, directSaga, START_CHECKOUT, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { freshAddress, gqlAs, refusalOf } from '../rate-limits/rate-limit-harness';

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
  // One TTL for guests too, so the hold's own rules read in RESERVATION_TTL; the caps are set as low as they go and
  // RATE_LIMITS is off (test-app), which switches them off: nothing here is refused for the units a client holds.
  const getApp = useCheckoutApp(
    { RESERVATION_TTL: '15m', GUEST_HOLD_TTL: '15m', MAX_HELD_UNITS_PER_ADDRESS: '1', MAX_HELD_UNITS_PER_CUSTOMER: '1' },
    { clock: { now: () => new Date(pinned ?? Date.now()) } },
  );
  beforeEach(() => {
    pinned = null;
  });

  const em = () => getApp().orm.em.fork();
  const cap = () => getApp().config.maxReservedUnitsPerLine;
  const start = async (cartId: string) => (await getApp().gql(START_CHECKOUT, { input: { cartId } })).data.startCheckout;
  const capRefusal = () => ({
    errorCode: 'VALIDATION_FAILED',
    field: 'quantity',
    message: `A cart can hold at most ${cap()} units of one item; lower the quantity.`,
  });
  const activeHolds = (cartId: string) => em().find(Reservation, { cartId, status: ReservationStatus.ACTIVE }, { orderBy: { id: 'asc' } });

  describe('a line above the cap (the cap was lowered after it was added)', () => {
    it('when startCheckout reaches it, then VALIDATION_FAILED, nothing is reserved and the cart is untouched', async () => {
      const ready = await buildReadyCart(em(), {
        lines: [
          { price: 1_000, stock: 100, quantity: cap() + 1 },
          { price: 500, stock: 10, quantity: 1 },
        ],
      });
      const before = await em().findOneOrFail(Cart, { id: ready.cart.id });

      expect(await start(ready.cart.id)).toMatchObject({ __typename: 'UserError', ...capRefusal() });

      expect(await em().count(Reservation, {})).toBe(0);
      expect(await em().findOneOrFail(Cart, { id: ready.cart.id })).toMatchObject({
        version: before.version,
        pricesValidatedAt: null,
        status: CartStatus.OPEN,
      });
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

      const outcome = await lowered.confirm(
        em(),
        { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY },
        GUEST,
      );

      expect(outcome).toMatchObject({ ok: false, failure: { code: 'VALIDATION_FAILED', field: 'quantity' } });
      expect(await em().count(Order, {})).toBe(0);
      expect((await activeHolds(ready.cart.id)).map((r) => [r.id, r.quantity, r.expiresAt.getTime()])).toEqual(
        preview.map((r) => [r.id, r.quantity, r.expiresAt.getTime()]),
      );
      await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });
    });
  });

  describe('the hold of a preview', () => {
    it('when startCheckout is re-run within the TTL, then expiresAt stays where the first reservation put it', async () => {
      const ready = await buildReadyCart(em(), {
        lines: [
          { price: 1_000, stock: 10, quantity: 2 },
          { price: 700, stock: 10, quantity: 1 },
        ],
      });
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

    it('when RATE_LIMITS is off, then a client holds more units across its carts than MAX_HELD_UNITS_PER_ADDRESS allows', async () => {
      const carts = [
        await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 10, quantity: 4 }] }),
        await buildReadyCart(em(), { lines: [{ price: 700, stock: 10, quantity: 5 }] }),
      ];

      const previews = [await start(carts[0].cart.id), await start(carts[1].cart.id)];

      expect(previews.map((p) => p.__typename)).toEqual(['CheckoutPreview', 'CheckoutPreview']);
      expect((await em().find(Reservation, { status: ReservationStatus.ACTIVE })).reduce((units, r) => units + r.quantity, 0)).toBe(9);
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

/**
 * Issue 20, "no stranger can starve the catalog": the units one client holds
 * across all its open checkouts are capped (per customer when signed in, per
 * client address otherwise, counted in the database), and an anonymous hold
 * lasts GUEST_HOLD_TTL. Each test plays clients at addresses of its own
 * (X-Forwarded-For, believed from loopback).
 */
describe('units held per client', () => {
  let pinned = T0;
  const getApp = useCheckoutApp(
    {
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'loopback',
      RESERVATION_TTL: '15m',
      GUEST_HOLD_TTL: '5m',
      MAX_HELD_UNITS_PER_ADDRESS: '10',
      MAX_HELD_UNITS_PER_CUSTOMER: '6',
    },
    { clock: { now: () => new Date(pinned) } },
  );
  beforeEach(() => {
    pinned = T0;
  });

  const em = () => getApp().orm.em.fork();
  const startAs = (from: string, cartId: string, token?: string) => gqlAs(getApp(), from, START_CHECKOUT, { input: { cartId } }, { token });
  const previewOf = (answer: { body: { data?: { startCheckout: { __typename: string } } } }) => answer.body.data?.startCheckout;
  const cartOf = (units: number, options: { customerId?: string } = {}) =>
    buildReadyCart(em(), { customerId: options.customerId, lines: [{ price: 1_000, stock: 20, quantity: units }] });
  const heldIn = async (cartId: string) =>
    (await em().find(Reservation, { cartId, status: ReservationStatus.ACTIVE })).reduce((units, r) => units + r.quantity, 0);
  const freeAt = async (variantId: string, at: Date) => {
    const { db, stores } = getApp().tillgate.deps;
    return (await stores.stock.available(db.unitOfWork(em()), [variantId], at)).get(variantId);
  };

  it('when an anonymous client holds its cap across carts, then its next startCheckout is RATE_LIMITED until enough of its holds lapse, nothing is reserved, and another client buys meanwhile', async () => {
    const [hoarder, buyer] = [freshAddress(), freshAddress()];
    const [first, second, third] = [await cartOf(4), await cartOf(4), await cartOf(3)];
    expect(previewOf(await startAs(hoarder, first.cart.id))).toMatchObject({
      __typename: 'CheckoutPreview',
      reservationsExpireAt: minutesAfterT0(5).toISOString(),
    });
    pinned = minutesAfterT0(1);
    expect(previewOf(await startAs(hoarder, second.cart.id))?.__typename).toBe('CheckoutPreview');
    const thirdBefore = await em().findOneOrFail(Cart, { id: third.cart.id });

    pinned = minutesAfterT0(2);
    const refused = await startAs(hoarder, third.cart.id);

    // 8 held + 3 wanted > 10: room again when the first hold (4 units) lapses at T0+5m, 180 s from now.
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('180');
    expect(refusalOf(refused.body)).toEqual({ retryAfter: 180 });
    expect(await em().count(Reservation, { cartId: third.cart.id })).toBe(0);
    expect(await em().findOneOrFail(Cart, { id: third.cart.id })).toMatchObject({ version: thirdBefore.version, pricesValidatedAt: null });
    expect(await freeAt(third.variants[0].id, pinned)).toBe(20);
    // Refreshing a cart it already holds is no new hold: its own units are not counted twice.
    expect(previewOf(await startAs(hoarder, first.cart.id))?.__typename).toBe('CheckoutPreview');

    const bought = await buildReadyCart(em(), { variants: [{ variant: third.variants[0], quantity: 3 }] });
    expect(previewOf(await startAs(buyer, bought.cart.id))?.__typename).toBe('CheckoutPreview');
    const placed = await gqlAs(getApp(), buyer, CONFIRM_CHECKOUT, {
      input: { cartId: bought.cart.id, versionKey: bought.versionKey, paymentMethod: 'CASH_ON_DELIVERY' },
    });
    expect(placed.body.data.confirmCheckout.order.status).toBe('PLACED');

    pinned = minutesAfterT0(5);
    expect(previewOf(await startAs(hoarder, third.cart.id))?.__typename).toBe('CheckoutPreview');
    expect([await heldIn(first.cart.id), await heldIn(second.cart.id), await heldIn(third.cart.id)]).toEqual([4, 4, 3]);
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true, now: pinned });
  });

  it('when a signed-in customer holds its cap, then it is stopped whatever address it calls from, holds for RESERVATION_TTL, and a cart above the cap on its own is VALIDATION_FAILED', async () => {
    const customer = await getApp().customer();
    const [home, office] = [freshAddress(), freshAddress()];
    const [first, second, tooBig, guest] = [
      await cartOf(4, { customerId: customer.id }),
      await cartOf(3, { customerId: customer.id }),
      await cartOf(7, { customerId: customer.id }),
      await cartOf(10),
    ];

    expect(previewOf(await startAs(home, first.cart.id, customer.token))).toMatchObject({ reservationsExpireAt: minutesAfterT0(15).toISOString() });
    const refused = await startAs(office, second.cart.id, customer.token);
    const alone = await startAs(office, tooBig.cart.id, customer.token);

    expect(refusalOf(refused.body)).toEqual({ retryAfter: 900 });
    expect(await heldIn(second.cart.id)).toBe(0);
    expect(previewOf(alone)).toEqual({
      __typename: 'UserError',
      errorCode: 'VALIDATION_FAILED',
      field: 'quantity',
      message: 'A checkout can hold at most 6 units at a time; lower the quantities.',
    });
    // The customer's units count against the customer, not against the address it called from.
    expect(previewOf(await startAs(home, guest.cart.id))?.__typename).toBe('CheckoutPreview');
  });

  it('when an anonymous hold reaches GUEST_HOLD_TTL, then its units are on sale again and the expiry worker releases it', async () => {
    const cart = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 3, quantity: 3 }] });
    const variantId = cart.variants[0].id;

    expect(previewOf(await startAs(freshAddress(), cart.cart.id))).toMatchObject({ reservationsExpireAt: minutesAfterT0(5).toISOString() });

    expect(await freeAt(variantId, new Date(minutesAfterT0(5).getTime() - 1))).toBe(0);
    expect(await freeAt(variantId, minutesAfterT0(5))).toBe(3);
    expect(await releaseExpiredReservations(em(), minutesAfterT0(5))).toBe(1);
    expect(await heldIn(cart.cart.id)).toBe(0);
  });
});
