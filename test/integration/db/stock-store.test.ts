import { randomUUID } from 'node:crypto';
import { Reservation, ReservationStatus } from '../../../src/entities';
import { buildProduct } from '../../factories/catalog.factory';
import { useCartTestApp } from '../cart/cart-test-app';

/**
 * The stock store answers a refused hold as a value on both dialects (the
 * PostgreSQL statement that inserts only where free, libSQL's read then
 * insert): nothing reserved, and the caller decides how to fail.
 */
describe('stock store: a refused hold is an answer', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const deps = () => h.app.tillgate.deps;
  const NOW = new Date('2031-03-01T10:00:00.000Z');
  const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
  const reserve = (cartId: string, lines: { variantId: string; quantity: number }[], holder: { key: string; maxUnits: number | null } | null = null) =>
    deps().db.transaction(em(), (uow) => deps().stores.stock.reserve(uow, cartId, lines, { now: NOW, until: minutes(15), holder }));
  const activeOf = (cartId: string) => em().find(Reservation, { cartId, status: ReservationStatus.ACTIVE });

  it('when every line has its units free, then it answers the held units, one reservation per variant', async () => {
    const {
      variants: [mug, cup],
    } = await buildProduct(em(), {
      variants: [
        { price: 100, currency: 'EUR', stock: 3 },
        { price: 100, currency: 'EUR', stock: 2 },
      ],
    });
    const cartId = randomUUID();

    const answer = await reserve(cartId, [
      { variantId: mug.id, quantity: 1 },
      { variantId: cup.id, quantity: 2 },
      { variantId: mug.id, quantity: 2 },
    ]);

    expect(answer.kind).toBe('held');
    const held = answer.kind === 'held' ? answer.held : [];
    expect(held.map((r) => [r.variantId, r.quantity]).sort()).toEqual(
      [
        [cup.id, 2],
        [mug.id, 3],
      ].sort(),
    );
    expect((await activeOf(cartId)).map((r) => r.id).sort()).toEqual(held.map((r) => r.id).sort());
  });

  it('when one variant is short, then it answers that shortfall and reserves none of the lines', async () => {
    const {
      variants: [mug, cup],
    } = await buildProduct(em(), {
      variants: [
        { price: 100, currency: 'EUR', stock: 3 },
        { price: 100, currency: 'EUR', stock: 1 },
      ],
    });
    const cartId = randomUUID();

    const answer = await reserve(cartId, [
      { variantId: mug.id, quantity: 1 },
      { variantId: cup.id, quantity: 2 },
    ]);

    expect(answer).toEqual({ kind: 'short', shortfalls: [{ variantId: cup.id, requested: 2, available: 1 }] });
    expect(await activeOf(cartId)).toEqual([]);
  });

  it('when the holder already holds its cap in another cart, then it answers over-cap with when that hold lapses, and reserves nothing', async () => {
    const {
      variants: [mug],
    } = await buildProduct(em(), { variants: [{ price: 100, currency: 'EUR', stock: 10 }] });
    const holder = { key: `address:${randomUUID()}`, maxUnits: 4 };
    expect((await reserve(randomUUID(), [{ variantId: mug.id, quantity: 3 }], holder)).kind).toBe('held');
    const cartId = randomUUID();

    const answer = await reserve(cartId, [{ variantId: mug.id, quantity: 2 }], holder);

    expect(answer).toEqual({ kind: 'over-cap', fitsAt: minutes(15) });
    expect(await activeOf(cartId)).toEqual([]);
  });
});
