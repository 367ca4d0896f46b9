import { composeAppDeps } from '../../../src/composition-root';
import { loadConfig } from '../../../src/config';
import type { EntityManager, Orm } from '../../../src/db/orm';
import { Cart, CartStatus, Reservation, ReservationStatus, type Variant } from '../../../src/entities';
import type { AppDeps } from '../../../src/services/app-deps';
import { TokenService } from '../../../src/services/auth/tokens';
import { allWorkers, WorkerRunner } from '../../../src/services/workers';
import { buildCart, buildReservation } from '../../factories/cart.factory';
import { buildProduct } from '../../factories/catalog.factory';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { openTestOrm, truncateAll } from '../../support/test-database';

const DAY = 86_400_000;
const NOW = new Date('2031-09-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/**
 * Issue 9: carts come from anyone, so abandoned empty ones, and reservations
 * long since released, are deleted after CART_RETENTION (30d) by the
 * cart-cleanup worker: one statement per batch, nothing else touched.
 */
describe('cart-cleanup worker', () => {
  let statements: string[] | null = null;
  let orm: Orm;
  let deps: AppDeps;
  beforeAll(async () => {
    orm = await openTestOrm({ onQuery: (sql) => statements?.push(sql) });
    deps = composeAppDeps(loadConfig({ WORKERS: 'off' }), orm, new TokenService(TEST_AUTH_SECRET), { clock: { now: () => new Date(NOW) } });
  });
  beforeEach(() => truncateAll(orm));
  afterAll(() => orm.close(true));

  const em = (): EntityManager => orm.em.fork();
  const worker = () => {
    const found = allWorkers(deps).find((w) => w.name === 'cart-cleanup');
    if (!found) throw new Error('cart-cleanup is not registered');
    return found;
  };
  const dueAt = async (now: Date) => (await deps.stores.work.whichAreDue(deps.db.unitOfWork(em()), [worker().due!(now)]))[0];
  const variant = async (): Promise<Variant> => (await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 10 }] })).variants[0];
  const statementsOf = async <T>(act: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    statements = [];
    try {
      const result = await act();
      return { result, statements };
    } finally {
      statements = null;
    }
  };

  async function cartTouchedAt(updatedAt: Date, spec: Parameters<typeof buildCart>[1] = {}): Promise<string> {
    const cart = await buildCart(em(), spec);
    await em().nativeUpdate(Cart, { id: cart.id }, { updatedAt });
    return cart.id;
  }
  const reservation = async (status: ReservationStatus, expiresAt: Date) =>
    (await buildReservation(em(), { cartId: '00000000-0000-4000-8000-000000000009', variant: await variant(), quantity: 1, expiresAt, status })).id;
  const remainingCarts = async () => (await em().find(Cart, {}, { fields: ['id'] })).map((c) => c.id).sort();
  const remainingReservations = async () => (await em().find(Reservation, {}, { fields: ['id'] })).map((r) => r.id).sort();

  it('when the default applies, then carts and released reservations are kept 30 days', () => {
    expect(deps.config.cartRetentionMs).toBe(30 * DAY);
  });

  it('when a round runs, then only old, open, empty carts and old released reservations go', async () => {
    const abandoned = await cartTouchedAt(ago(31 * DAY));
    const recent = await cartTouchedAt(ago(29 * DAY));
    const withLines = await cartTouchedAt(ago(90 * DAY), { lines: [{ variant: await variant(), quantity: 1 }] });
    const converted = await cartTouchedAt(ago(90 * DAY), { status: CartStatus.CONVERTED });
    const checkingOut = await cartTouchedAt(ago(90 * DAY), { status: CartStatus.CHECKING_OUT });
    const oldReleased = await reservation(ReservationStatus.RELEASED, ago(31 * DAY));
    const recentReleased = await reservation(ReservationStatus.RELEASED, ago(29 * DAY));
    const oldConverted = await reservation(ReservationStatus.CONVERTED, ago(90 * DAY));
    const lapsedActive = await reservation(ReservationStatus.ACTIVE, ago(90 * DAY));

    expect(await worker().runOnce(em(), NOW)).toBe(2);

    expect(await remainingCarts()).toEqual([recent, withLines, converted, checkingOut].sort());
    expect(await remainingCarts()).not.toContain(abandoned);
    expect(await remainingReservations()).toEqual([recentReleased, oldConverted, lapsedActive].sort());
    expect(await remainingReservations()).not.toContain(oldReleased);
    expect(await worker().runOnce(em(), NOW)).toBe(0);
  });

  it('when there is a backlog, then each batch is one statement and the runner drains it round after round', async () => {
    for (let i = 0; i < 5; i++) await cartTouchedAt(ago((40 + i) * DAY));
    for (let i = 0; i < 3; i++) await reservation(ReservationStatus.RELEASED, ago((40 + i) * DAY));

    const store = deps.stores.carts;
    const carts = await statementsOf(() => store.deleteAbandoned(deps.db.unitOfWork(em()), ago(30 * DAY), 2));
    const reservations = await statementsOf(() => store.deleteReleasedReservations(deps.db.unitOfWork(em()), ago(30 * DAY), 2));

    expect([carts.result, carts.statements.length]).toEqual([2, 1]);
    expect([reservations.result, reservations.statements.length]).toEqual([2, 1]);
    // The oldest go first: the carts of 43 and 44 days ago.
    expect(await em().count(Cart, {})).toBe(3);
    expect(await em().count(Cart, { updatedAt: { $lte: ago(43 * DAY) } })).toBe(0);

    const runner = new WorkerRunner(deps);
    runner.register(worker());
    expect(await runner.runDueOnce()).toEqual({ 'cart-cleanup': 4 });
    expect(await runner.runDueOnce()).toEqual({});
    expect(await em().count(Cart, {})).toBe(0);
    expect(await em().count(Reservation, {})).toBe(0);
  });

  it('when nothing is older than the retention, then the worker is not due; it is from the moment something is', async () => {
    expect(await dueAt(NOW)).toBe(false);
    const touched = ago(10 * DAY);
    await cartTouchedAt(touched);
    expect(await dueAt(NOW)).toBe(false);
    expect(await dueAt(new Date(touched.getTime() + 30 * DAY))).toBe(false);
    expect(await dueAt(new Date(touched.getTime() + 30 * DAY + 1))).toBe(true);

    await truncateAll(orm);
    const expired = ago(5 * DAY);
    await reservation(ReservationStatus.RELEASED, expired);
    await reservation(ReservationStatus.ACTIVE, ago(90 * DAY));
    expect(await dueAt(new Date(expired.getTime() + 30 * DAY))).toBe(false);
    expect(await dueAt(new Date(expired.getTime() + 30 * DAY + 1))).toBe(true);
  });

  it('when a cart got a line after it went quiet, then it is no longer abandoned and stays', async () => {
    const cartId = await cartTouchedAt(ago(31 * DAY));
    // Any cart change bumps updated_at with its claim: the cart is young again.
    await em().nativeUpdate(Cart, { id: cartId }, { updatedAt: ago(1 * DAY) });

    expect(await worker().runOnce(em(), NOW)).toBe(0);
    expect(await remainingCarts()).toEqual([cartId]);
  });
});
