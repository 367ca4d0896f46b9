import { CartStatus } from '../../../src/entities';
import { buildCart, buildReservation, cartApi } from '../../factories/cart.factory';
import { buildProduct } from '../../factories/catalog.factory';
import { minutesFromNow, useCartTestApp } from './cart-test-app';

const MALFORMED_ID = 'not-a-uuid';
const UNKNOWN_ID = '0f0e0d0c-0b0a-4909-8807-060504030201';

describe('cart lines', () => {
  // These tests are about the input bounds (1..999), so the reservation cap is lifted to them; cart-line-caps.test.ts tests the cap.
  const h = useCartTestApp({ MAX_RESERVED_UNITS_PER_LINE: '999' });

  const em = () => h.app.orm.em.fork();
  const variantWith = async (spec: { price?: number; currency?: string; stock?: number } = {}) => {
    const { variants } = await buildProduct(em(), { variants: [{ price: spec.price ?? 1_250, currency: spec.currency ?? 'EUR', stock: spec.stock ?? 50 }] });
    return variants[0];
  };

  it('when a guest creates a cart, then it is open, empty, at version 1 and reachable by id', async () => {
    const api = cartApi(h.app);
    const cart = await api.create({ currency: 'eur', email: ' Guest@Example.COM ' });
    expect(cart).toMatchObject({ status: 'OPEN', currency: 'EUR', version: 1, email: 'guest@example.com', lines: [], voucherCodes: [] });
    expect(cart.totals.total).toEqual({ amount: 0, currency: 'EUR' });
    expect(await api.get(cart.id)).toEqual(cart);
  });

  it('when a line is added, then it stores the variant price and the cart totals and version follow', async () => {
    const variant = await variantWith({ price: 1_250 });
    const api = cartApi(h.app);
    const cart = await api.create();

    const result = await api.addLine(cart.id, variant.id, 3);

    expect(result.__typename).toBe('Cart');
    expect(result.version).toBe(2);
    expect(result.lines).toEqual([
      {
        id: expect.any(String),
        quantity: 3,
        variant: { id: variant.id, sku: variant.sku },
        unitPrice: { amount: 1_250, currency: 'EUR' },
        discount: { amount: 0, currency: 'EUR' },
        total: { amount: 3_750, currency: 'EUR' },
      },
    ]);
    expect(result.totals.subtotal.amount).toBe(3_750);
    expect(result.totals.total.amount).toBe(3_750);
    expect(result.versionKey).not.toBe(cart.versionKey);
  });

  it('when the same variant is added twice, then the quantities merge into one line and each change bumps the version', async () => {
    const variant = await variantWith();
    const api = cartApi(h.app);
    const cart = await api.create();
    const first = await api.addLine(cart.id, variant.id, 2);
    const second = await api.addLine(cart.id, variant.id, 5);
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]).toMatchObject({ id: first.lines[0].id, quantity: 7 });
    expect([cart.version, first.version, second.version]).toEqual([1, 2, 3]);
  });

  it('when lines are added for different variants, then they keep the order they were added in', async () => {
    const [a, b, c] = [await variantWith(), await variantWith(), await variantWith()];
    const api = cartApi(h.app);
    const cart = await api.create();
    for (const variant of [b, c, a]) await api.addLine(cart.id, variant.id, 1);
    const current = await api.get(cart.id);
    expect(current.lines.map((line: { variant: { id: string } }) => line.variant.id)).toEqual([b.id, c.id, a.id]);
    expect(current.version).toBe(4);
  });

  it('when the variant is unknown or its id malformed, then NOT_FOUND names variantId and nothing changes', async () => {
    const api = cartApi(h.app);
    const cart = await api.create();
    for (const variantId of [UNKNOWN_ID, MALFORMED_ID]) {
      expect(await api.addLine(cart.id, variantId, 1)).toMatchObject({ __typename: 'UserError', errorCode: 'NOT_FOUND', field: 'variantId' });
    }
    expect((await api.get(cart.id)).version).toBe(1);
  });

  it('when the cart id is unknown or malformed, then NOT_FOUND names cartId', async () => {
    const variant = await variantWith();
    const api = cartApi(h.app);
    for (const cartId of [UNKNOWN_ID, MALFORMED_ID]) {
      expect(await api.addLine(cartId, variant.id, 1)).toMatchObject({ errorCode: 'NOT_FOUND', field: 'cartId' });
    }
    expect(await api.get(MALFORMED_ID)).toBeNull();
  });

  it('when a malformed id is sent, then the answer comes before any SQL runs', async () => {
    const api = cartApi(h.app);
    const statements = await h.statementsDuring(() => api.addLine(MALFORMED_ID, UNKNOWN_ID, 1));
    expect(statements).toEqual([]);
  });

  it('when the variant is priced in another currency, then CURRENCY_MISMATCH and the cart stays empty', async () => {
    const dollars = await variantWith({ currency: 'USD' });
    const api = cartApi(h.app);
    const cart = await api.create({ currency: 'EUR' });
    expect(await api.addLine(cart.id, dollars.id, 1)).toMatchObject({ errorCode: 'CURRENCY_MISMATCH', field: 'variantId' });
    expect((await api.get(cart.id)).lines).toEqual([]);
  });

  it('when a cart already holds 100 different items, then a new one is refused but existing lines still merge', async () => {
    const specs = Array.from({ length: 101 }, () => ({ price: 100, currency: 'EUR', stock: 10 }));
    const { variants } = await buildProduct(em(), { variants: specs });
    const cart = await buildCart(em(), { lines: variants.slice(0, 100).map((variant) => ({ variant, quantity: 1 })) });
    const api = cartApi(h.app);

    expect(await api.addLine(cart.id, variants[100].id, 1)).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'variantId' });
    const merged = await api.addLine(cart.id, variants[0].id, 1);
    expect(merged.lines).toHaveLength(100);
    expect(merged.lines[0].quantity).toBe(2);
  });

  it('when the quantity is outside 1..999, then a VALIDATION_FAILED input error names quantity and nothing is written', async () => {
    const variant = await variantWith({ stock: 5_000 });
    const api = cartApi(h.app);
    const cart = await api.create();
    for (const quantity of [0, -1, 1_000]) {
      const response = await api.send('addCartLine', { cartId: cart.id, variantId: variant.id, quantity });
      expect(response.data).toBeFalsy();
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
      expect(response.errors?.[0].extensions?.fields[0].field).toBe('quantity');
    }
    expect((await api.addLine(cart.id, variant.id, 999)).lines[0].quantity).toBe(999);
    expect((await api.get(cart.id)).version).toBe(2);
  });

  it('when updateCartLine asks for a negative quantity or more than 999, then a VALIDATION_FAILED input error names quantity and the line is unchanged', async () => {
    const variant = await variantWith({ stock: 5_000 });
    const api = cartApi(h.app);
    const cart = await api.create();
    const line = (await api.addLine(cart.id, variant.id, 2)).lines[0];
    for (const quantity of [-1, 1_000]) {
      const response = await api.send('updateCartLine', { cartId: cart.id, lineId: line.id, quantity });
      expect(response.data).toBeFalsy();
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
      expect(response.errors?.[0].extensions?.fields[0].field).toBe('quantity');
    }
    const current = await api.get(cart.id);
    expect(current.lines.map((l: { quantity: number }) => l.quantity)).toEqual([2]);
    expect(current.version).toBe(2);
    expect((await api.updateLine(cart.id, line.id, 999)).lines[0].quantity).toBe(999);
  });

  it('when merging would take a line past 999 units, then VALIDATION_FAILED and the line keeps its quantity', async () => {
    const variant = await variantWith({ stock: 5_000 });
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, variant.id, 990);
    expect(await api.addLine(cart.id, variant.id, 10)).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'quantity' });
    const current = await api.get(cart.id);
    expect(current.lines[0].quantity).toBe(990);
    expect(current.version).toBe(2);
  });

  it('when more units are asked for than are on hand, then InsufficientStockError reports the shortfall', async () => {
    const variant = await variantWith({ stock: 4 });
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, variant.id, 3);

    const result = await api.addLine(cart.id, variant.id, 2);

    expect(result).toMatchObject({
      __typename: 'InsufficientStockError',
      errorCode: 'INSUFFICIENT_STOCK',
      shortfalls: [{ variantId: variant.id, requested: 5, available: 4 }],
    });
    expect((await api.get(cart.id)).lines[0].quantity).toBe(3);
  });

  it('when other carts hold active reservations, then they reduce what this cart can add, but expired or released ones do not', async () => {
    const variant = await variantWith({ stock: 10 });
    const other = await buildCart(em());
    await buildReservation(em(), { cartId: other.id, variant, quantity: 6, expiresAt: minutesFromNow(10) });
    await buildReservation(em(), { cartId: other.id, variant, quantity: 3, expiresAt: minutesFromNow(-1) });
    await buildReservation(em(), { cartId: other.id, variant, quantity: 2, expiresAt: minutesFromNow(0) });
    const api = cartApi(h.app);
    const cart = await api.create();

    expect(await api.addLine(cart.id, variant.id, 5)).toMatchObject({
      __typename: 'InsufficientStockError',
      shortfalls: [{ variantId: variant.id, requested: 5, available: 4 }],
    });
    expect((await api.addLine(cart.id, variant.id, 4)).lines[0].quantity).toBe(4);
  });

  it('when this cart itself holds a reservation, then those units count as available to it', async () => {
    const variant = await variantWith({ stock: 5 });
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, variant.id, 3);
    // An earlier checkout attempt of this very cart reserved its 3 units.
    await buildReservation(em(), { cartId: cart.id, variant, quantity: 3, expiresAt: minutesFromNow(10) });

    expect((await api.updateLine(cart.id, (await api.get(cart.id)).lines[0].id, 5)).lines[0].quantity).toBe(5);
    expect(await api.addLine(cart.id, variant.id, 1)).toMatchObject({
      __typename: 'InsufficientStockError',
      shortfalls: [{ variantId: variant.id, requested: 6, available: 5 }],
    });
  });

  it('when a line quantity is updated, then it changes; 0 removes the line; each bumps the version', async () => {
    const [a, b] = [await variantWith({ price: 100 }), await variantWith({ price: 300 })];
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, a.id, 1);
    const withBoth = await api.addLine(cart.id, b.id, 1);
    const [lineA, lineB] = withBoth.lines;

    const updated = await api.updateLine(cart.id, lineA.id, 4);
    expect(updated.lines.map((line: { id: string; quantity: number }) => [line.id, line.quantity])).toEqual([
      [lineA.id, 4],
      [lineB.id, 1],
    ]);
    expect(updated.totals.subtotal.amount).toBe(4 * 100 + 300);

    const removed = await api.updateLine(cart.id, lineA.id, 0);
    expect(removed.lines.map((line: { id: string }) => line.id)).toEqual([lineB.id]);
    expect([withBoth.version, updated.version, removed.version]).toEqual([3, 4, 5]);
  });

  it("when updating a line id that is not this cart's, then NOT_FOUND names lineId", async () => {
    const variant = await variantWith();
    const api = cartApi(h.app);
    const mine = await api.create();
    const other = await api.create();
    const otherLine = (await api.addLine(other.id, variant.id, 1)).lines[0];
    for (const lineId of [otherLine.id, UNKNOWN_ID, MALFORMED_ID]) {
      expect(await api.updateLine(mine.id, lineId, 2)).toMatchObject({ errorCode: 'NOT_FOUND', field: 'lineId' });
    }
    expect((await api.get(other.id)).lines[0].quantity).toBe(1);
  });

  it('when an update raises a quantity beyond stock, then InsufficientStockError; lowering always works', async () => {
    const variant = await variantWith({ stock: 3 });
    const api = cartApi(h.app);
    const cart = await api.create();
    const line = (await api.addLine(cart.id, variant.id, 3)).lines[0];
    await h.app.orm.em.fork().nativeUpdate('StockLevel', { variant: variant.id }, { onHand: 1 });

    expect(await api.updateLine(cart.id, line.id, 4)).toMatchObject({
      __typename: 'InsufficientStockError',
      shortfalls: [{ variantId: variant.id, requested: 4, available: 1 }],
    });
    expect((await api.updateLine(cart.id, line.id, 2)).lines[0].quantity).toBe(2);
  });

  it('when a line is touched after the catalog price changed, then it takes the current price, which the versionKey reflects', async () => {
    const variant = await variantWith({ price: 1_000 });
    const api = cartApi(h.app);
    const cart = await api.create();
    const added = await api.addLine(cart.id, variant.id, 1);
    await h.app.orm.em.fork().nativeUpdate('Variant', { id: variant.id }, { price: 1_100 });

    // A catalog change alone moves neither the stored price nor the key.
    const untouched = await api.get(cart.id);
    expect(untouched.lines[0].unitPrice.amount).toBe(1_000);
    expect(untouched.versionKey).toBe(added.versionKey);

    const touched = await api.addLine(cart.id, variant.id, 1);
    expect(touched.lines[0]).toMatchObject({ quantity: 2, unitPrice: { amount: 1_100 } });
    expect(touched.versionKey).not.toBe(added.versionKey);
  });

  it('when the cart is no longer open, then every change answers CART_CLOSED and nothing is written', async () => {
    const variant = await variantWith();
    const cart = await buildCart(em(), { status: CartStatus.CONVERTED, lines: [{ variant, quantity: 1 }] });
    const api = cartApi(h.app);
    expect(await api.addLine(cart.id, variant.id, 1)).toMatchObject({ errorCode: 'CART_CLOSED' });
    expect(await api.updateLine(cart.id, cart.lines[0].id, 0)).toMatchObject({ errorCode: 'CART_CLOSED' });
    const current = await api.get(cart.id);
    expect(current).toMatchObject({ status: 'CONVERTED', version: 1 });
    expect(current.lines).toHaveLength(1);
  });

  it('when a checkout has the cart in CHECKING_OUT, then the cart reads as OPEN', async () => {
    const cart = await buildCart(em(), { status: CartStatus.CHECKING_OUT });
    expect((await cartApi(h.app).get(cart.id)).status).toBe('OPEN');
  });

  it('when many buyers add to one cart at the same moment, then no change is lost and each got its own version', async () => {
    const [a, b] = [await variantWith({ stock: 100 }), await variantWith({ stock: 100 })];
    const api = cartApi(h.app);
    const cart = await api.create();

    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => api.addLine(cart.id, (i % 2 ? a : b).id, 1)));

    expect(results.every((result) => result.__typename === 'Cart')).toBe(true);
    expect(results.map((result) => result.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    const current = await api.get(cart.id);
    expect(current.version).toBe(13);
    expect(current.lines.map((line: { quantity: number }) => line.quantity)).toEqual([6, 6]);
  });

  it('when a line is added, then the whole request runs at most 5 SQL statements', async () => {
    const variant = await variantWith();
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, variant.id, 1);

    const statements = await h.statementsDuring(() => api.addLine(cart.id, variant.id, 1));

    // Reported to the lead; logged so a regression shows what was added.
    console.info(`addCartLine SQL statements: ${statements.length}\n${statements.join('\n')}`);
    expect(statements.length).toBeLessThanOrEqual(5);
  });
});
