import { Reservation, ReservationStatus, Role } from '../../src/entities';
import { buildCustomer, buildReadyCart, START_CHECKOUT, useCheckoutApp } from '../factories/checkout.factory';
import { assertCheckoutInvariants } from '../support/invariants';
import { freshAddress, gqlAs, refusalOf } from '../integration/rate-limits/rate-limit-harness';

/**
 * One client's startCheckouts racing on many real PostgreSQL connections (pool
 * 40), each over HTTP, each cart holding 3 units of a variant of its own: the
 * carts lock different stock rows, so nothing but the client's own lock keeps
 * two of them from counting the same held units and both passing the cap.
 */
describe('units held per client under concurrency on PostgreSQL', () => {
  const getApp = useCheckoutApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'loopback', MAX_HELD_UNITS_PER_ADDRESS: '10', MAX_HELD_UNITS_PER_CUSTOMER: '10' });
  const em = () => getApp().orm.em.fork();
  // Opens the pool's connections first (each one held a moment, so none is reused): racers waiting for a
  // connection to be opened would otherwise start one after another, and a missing lock would go unseen.
  beforeAll(() => Promise.all(Array.from({ length: 16 }, () => em().getConnection().execute('select pg_sleep(0.1)'))));

  const heldUnits = async () => (await em().find(Reservation, { status: ReservationStatus.ACTIVE })).reduce((units, r) => units + r.quantity, 0);

  it.each([
    ['a signed-in customer (a fresh address per request)', true],
    ['an anonymous client (one address)', false],
  ])('when %s starts checkout on 12 carts of 3 units at once, then exactly 3 hold (9 units, cap 10) and 9 are RATE_LIMITED', async (_who, signedIn) => {
    const customerId = signedIn ? await buildCustomer(em()) : null;
    const token = customerId ? await getApp().tillgate.deps.tokens.sign({ customerId, role: Role.CUSTOMER, tokenVersion: 0 }) : undefined;
    const carts = await Promise.all(Array.from({ length: 12 }, () => buildReadyCart(em(), { customerId, lines: [{ price: 1_000, stock: 10, quantity: 3 }] })));
    const address = freshAddress();

    const answers = await Promise.all(
      carts.map((cart) => gqlAs(getApp(), signedIn ? freshAddress() : address, START_CHECKOUT, { input: { cartId: cart.cart.id } }, { token })),
    );

    const held = answers.filter((a) => a.body.data?.startCheckout?.__typename === 'CheckoutPreview');
    const refused = answers.filter((a) => refusalOf(a.body) !== null);
    expect([held.length, refused.length]).toEqual([3, 9]);
    expect(refused.every((a) => a.status === 429 && Number(a.retryAfter) > 0)).toBe(true);
    expect(await heldUnits()).toBe(9);
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });
  });
});
