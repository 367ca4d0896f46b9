import { Cart, CartStatus, Reservation, ReservationStatus, type Variant } from '../../../src/entities';
import { AttachCartService } from '../../../src/services/cart/attach-cart.service';
import { MAX_LINE_QUANTITY } from '../../../src/services/cart/cart.service';
import { systemClock } from '../../../src/services/shared/clock';
import { buildCart, buildReservation, CART_FIELDS } from '../../factories/cart.factory';
import { buildProduct } from '../../factories/catalog.factory';
import { startTestApp, type TestApp } from '../../support/test-app';

const ATTACH = `mutation($input: AttachCartInput!) {
  attachCart(input: $input) {
    __typename
    ... on Cart { ${CART_FIELDS} }
    ... on UserError { errorCode message field }
  }
}`;

describe('attachCart', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The reservation cap lifted to the line limit, so the cap under test is MAX_LINE_QUANTITY itself.
    app = await startTestApp({ MAX_RESERVED_UNITS_PER_LINE: String(MAX_LINE_QUANTITY) });
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const em = () => app.orm.em.fork();
  const variants = async (count: number, currency = 'EUR'): Promise<Variant[]> =>
    (await buildProduct(em(), { variants: Array.from({ length: count }, (_, i) => ({ price: 1_000 + i * 100, currency, stock: 50 })) })).variants;

  async function attach(cartId: string, token?: string) {
    const response = await app.gql(ATTACH, { input: { cartId } }, { token });
    expect(response.errors).toBeUndefined();
    return response.data.attachCart;
  }
  const cartRow = (id: string) => em().findOneOrFail(Cart, { id }, { populate: ['lines'] });
  const quantities = (cart: { lines: { quantity: number; variant: { id: string } }[] }) =>
    Object.fromEntries(cart.lines.map((line) => [line.variant.id, line.quantity]));

  it('when the customer has an open cart of the same currency, then the guest lines merge into it: quantities add up, the version moves, the guest cart closes', async () => {
    const buyer = await app.customer();
    const [shared, onlyGuest, onlyMine] = await variants(3);
    const mine = await buildCart(em(), {
      customerId: buyer.id,
      lines: [
        { variant: shared, quantity: 2 },
        { variant: onlyMine, quantity: 1 },
      ],
    });
    const guest = await buildCart(em(), {
      email: 'guest@example.com',
      lines: [
        { variant: shared, quantity: 3 },
        { variant: onlyGuest, quantity: 4 },
      ],
    });
    const held = await buildReservation(em(), { cartId: guest.id, variant: shared, quantity: 3, expiresAt: new Date(Date.now() + 600_000) });

    const merged = await attach(guest.id, buyer.token);

    expect(merged).toMatchObject({ __typename: 'Cart', id: mine.id, status: 'OPEN', version: mine.version + 1 });
    expect(quantities(merged)).toEqual({ [shared.id]: 5, [onlyMine.id]: 1, [onlyGuest.id]: 4 });
    // The account cart's own lines come first, the guest's new ones after, in the guest's order.
    expect(merged.lines.map((line: { variant: { id: string } }) => line.variant.id)).toEqual([shared.id, onlyMine.id, onlyGuest.id]);
    expect(merged.totals.subtotal.amount).toBe(5 * 1_000 + 1 * 1_200 + 4 * 1_100);
    const closed = await cartRow(guest.id);
    expect(closed.status).toBe(CartStatus.CONVERTED);
    expect((await em().findOneOrFail(Reservation, { id: held.id })).status).toBe(ReservationStatus.RELEASED);
    expect(
      quantities(await app.gql(`query($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`, { id: mine.id }, { token: buyer.token }).then((r) => r.data.cart)),
    ).toEqual(quantities(merged));
    // The closed guest cart cannot be attached (or changed) again.
    expect(await attach(guest.id, buyer.token)).toMatchObject({ __typename: 'UserError', errorCode: 'CART_CLOSED', field: 'cartId' });
  });

  it('when merged quantities pass the line limit, then the line is capped at it', async () => {
    const buyer = await app.customer();
    const [variant] = await variants(1);
    const mine = await buildCart(em(), { customerId: buyer.id, lines: [{ variant, quantity: 600 }] });
    const guest = await buildCart(em(), { lines: [{ variant, quantity: 500 }] });

    const merged = await attach(guest.id, buyer.token);

    expect(merged).toMatchObject({ id: mine.id, lines: [{ quantity: MAX_LINE_QUANTITY }] });
    expect((await cartRow(mine.id)).lines.getItems().map((line) => line.quantity)).toEqual([MAX_LINE_QUANTITY]);
  });

  it('when a lower MAX_RESERVED_UNITS_PER_LINE is configured, then a merged line is capped at it, the most checkout could reserve', async () => {
    const buyer = await app.customer();
    const [variant] = await variants(1);
    const mine = await buildCart(em(), { customerId: buyer.id, lines: [{ variant, quantity: 15 }] });
    const guest = await buildCart(em(), { lines: [{ variant, quantity: 10 }] });

    const outcome = await new AttachCartService(em(), {
      ...app.tillgate.deps,
      clock: systemClock,
      config: { ...app.config, maxReservedUnitsPerLine: 20 },
    }).attach(buyer.id, guest.id);

    expect(outcome).toMatchObject({ ok: true, value: { id: mine.id, lines: [{ variantId: variant.id, quantity: 20 }] } });
  });

  it('when two guest carts are attached at once, then both merge into the account cart and no quantity is lost', async () => {
    const buyer = await app.customer();
    const [variant] = await variants(1);
    const mine = await buildCart(em(), { customerId: buyer.id, lines: [{ variant, quantity: 1 }] });
    const first = await buildCart(em(), { lines: [{ variant, quantity: 2 }] });
    const second = await buildCart(em(), { lines: [{ variant, quantity: 3 }] });

    const results = await Promise.all([attach(first.id, buyer.token), attach(second.id, buyer.token)]);

    expect(results.map((result) => result.id)).toEqual([mine.id, mine.id]);
    const row = await cartRow(mine.id);
    expect({ version: row.version, quantities: row.lines.getItems().map((line) => line.quantity) }).toEqual({ version: mine.version + 2, quantities: [6] });
  });

  it('when the same guest cart is attached twice at once, then its lines count once and the other attach is told the cart is closed', async () => {
    const buyer = await app.customer();
    const [variant] = await variants(1);
    const mine = await buildCart(em(), { customerId: buyer.id, lines: [{ variant, quantity: 1 }] });
    const guest = await buildCart(em(), { lines: [{ variant, quantity: 2 }] });

    const results = await Promise.all([attach(guest.id, buyer.token), attach(guest.id, buyer.token)]);

    expect(results.map((result) => result.__typename).sort()).toEqual(['Cart', 'UserError']);
    expect(results.find((result) => result.__typename === 'UserError')).toMatchObject({ errorCode: 'CART_CLOSED' });
    expect((await cartRow(mine.id)).lines.getItems().map((line) => line.quantity)).toEqual([3]);
  });

  it('when the customer has no open cart in that currency, then the guest cart is taken over as it is, and attaching it again changes nothing', async () => {
    const buyer = await app.customer();
    const [euro] = await variants(1);
    const [dollar] = await variants(1, 'USD');
    const elsewhere = await buildCart(em(), { customerId: buyer.id, currency: 'USD', lines: [{ variant: dollar, quantity: 1 }] });
    await buildCart(em(), { customerId: buyer.id, status: CartStatus.CONVERTED, lines: [{ variant: euro, quantity: 9 }] });
    const guest = await buildCart(em(), { email: 'guest@example.com', lines: [{ variant: euro, quantity: 2 }] });

    const taken = await attach(guest.id, buyer.token);

    expect(taken).toMatchObject({ __typename: 'Cart', id: guest.id, status: 'OPEN', version: guest.version + 1 });
    expect(quantities(taken)).toEqual({ [euro.id]: 2 });
    expect((await em().findOneOrFail(Cart, { id: guest.id })).customer?.id).toBe(buyer.id);
    expect((await cartRow(elsewhere.id)).version).toBe(elsewhere.version);
    // No longer a guest cart: its id alone opens nothing.
    expect((await app.gql(`query($id: ID!) { cart(id: $id) { id } }`, { id: guest.id })).data.cart).toBeNull();
    expect(await attach(guest.id, buyer.token)).toMatchObject({ id: guest.id, version: guest.version + 1 });
  });

  it("when the cart is another customer's, then NOT_FOUND (for an admin too) and both carts stay as they were", async () => {
    const [owner, buyer] = [await app.customer(), await app.customer()];
    const [variant] = await variants(1);
    const theirs = await buildCart(em(), { customerId: owner.id, lines: [{ variant, quantity: 1 }] });
    const mine = await buildCart(em(), { customerId: buyer.id, lines: [{ variant, quantity: 1 }] });

    expect(await attach(theirs.id, buyer.token)).toMatchObject({ __typename: 'UserError', errorCode: 'NOT_FOUND', field: 'cartId' });
    expect(await attach(theirs.id, await app.adminToken())).toMatchObject({ errorCode: 'NOT_FOUND' });

    for (const cart of [theirs, mine]) {
      const row = await cartRow(cart.id);
      expect({ version: row.version, status: row.status, lines: row.lines.length }).toEqual({ version: cart.version, status: CartStatus.OPEN, lines: 1 });
    }
    expect((await cartRow(theirs.id)).customer?.id).toBe(owner.id);
  });

  it('when the guest cart is closed or the id is no cart, then CART_CLOSED or NOT_FOUND and nothing moves', async () => {
    const buyer = await app.customer();
    const [variant] = await variants(1);
    const mine = await buildCart(em(), { customerId: buyer.id, lines: [{ variant, quantity: 1 }] });
    const checkingOut = await buildCart(em(), { status: CartStatus.CHECKING_OUT, lines: [{ variant, quantity: 2 }] });
    const converted = await buildCart(em(), { status: CartStatus.CONVERTED, lines: [{ variant, quantity: 2 }] });

    expect(await attach(checkingOut.id, buyer.token)).toMatchObject({ errorCode: 'CART_CLOSED', field: 'cartId' });
    expect(await attach(converted.id, buyer.token)).toMatchObject({ errorCode: 'CART_CLOSED', field: 'cartId' });
    expect(await attach('not-a-cart-id', buyer.token)).toMatchObject({ errorCode: 'NOT_FOUND', field: 'cartId' });
    expect(await attach('00000000-0000-4000-8000-000000000000', buyer.token)).toMatchObject({ errorCode: 'NOT_FOUND' });

    expect((await cartRow(mine.id)).version).toBe(mine.version);
    expect((await cartRow(checkingOut.id)).customer).toBeNull();
  });

  it('when the caller is not signed in, then UNAUTHENTICATED and the guest cart stays a guest cart', async () => {
    const [variant] = await variants(1);
    const guest = await buildCart(em(), { lines: [{ variant, quantity: 1 }] });

    const response = await app.gql(ATTACH, { input: { cartId: guest.id } });

    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const row = await cartRow(guest.id);
    expect({ customer: row.customer, version: row.version, status: row.status }).toEqual({ customer: null, version: guest.version, status: CartStatus.OPEN });
  });
});
