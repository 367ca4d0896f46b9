import { randomUUID } from 'node:crypto';
import { Database } from '../../../src/db/database';
import type { Orm } from '../../../src/db/orm';
import { createStores, type Stores } from '../../../src/db/stores';
import type { UnitOfWork } from '../../../src/db/unit-of-work';
import { Reservation, ReservationStatus, StockLevel, Warehouse } from '../../../src/entities';
import { buildProduct } from '../../factories/catalog.factory';
import { openTestOrm, truncateAll } from '../../support/test-database';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

/**
 * Checkout's figure (inside its transaction) and the catalog's one-statement
 * figure must agree: the same cases run against both.
 */
type Read = (stores: Stores, uow: UnitOfWork, variantIds: readonly string[], at: Date) => Promise<Map<string, number>>;
const viaStores = (read: Read) => (orm: Orm, variantIds: readonly string[], at: Date) => {
  const db = new Database(orm);
  return read(createStores(db), db.unitOfWork(orm.em.fork()), variantIds, at);
};
const implementations = [
  { name: 'StockStore.available (checkout)', availability: viaStores((stores, uow, ids, at) => stores.stock.available(uow, ids, at)), statements: 2 },
  {
    name: 'CatalogStore.availableUnits (catalog)',
    availability: viaStores((stores, uow, ids, at) => stores.catalog.availableUnits(uow, ids, at)),
    statements: 1,
  },
];

describe.each(implementations)('$name', ({ availability, statements }) => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openTestOrm();
  });
  beforeEach(() => truncateAll(orm));
  afterAll(() => orm.close(true));

  it('when stock sits in two warehouses and some of it is reserved, then available = on hand - active unexpired reservations', async () => {
    const em = orm.em.fork();
    const {
      variants: [variant],
    } = await buildProduct(em, { variants: [{ price: 100, currency: 'EUR', stock: 7 }] });
    const second = em.create(Warehouse, { name: 'Second' });
    em.create(StockLevel, { variant, warehouse: second, onHand: 5 });
    const reserve = (quantity: number, expiresAt: Date, status = ReservationStatus.ACTIVE) =>
      em.create(Reservation, { cartId: randomUUID(), variant, quantity, expiresAt, status });
    reserve(3, minutes(10));
    reserve(2, minutes(-1)); // expired: no longer holds stock
    reserve(4, NOW); // expiring exactly now counts as expired
    reserve(1, minutes(10), ReservationStatus.RELEASED);
    reserve(1, minutes(10), ReservationStatus.CONVERTED);
    await em.flush();

    const available = await availability(orm, [variant.id], NOW);

    expect(available.get(variant.id)).toBe(12 - 3);
  });

  it('when ids are unknown, repeated or have no stock rows, then each answers once with 0', async () => {
    const em = orm.em.fork();
    const { variants } = await buildProduct(em, {
      variants: [
        { price: 100, currency: 'EUR', stock: 4 },
        { price: 100, currency: 'EUR', stock: 0 },
      ],
    });
    const unknown = randomUUID();

    const available = await availability(orm, [variants[0].id, variants[1].id, unknown, variants[0].id], NOW);

    expect([...available.entries()].sort()).toEqual(
      [
        [variants[0].id, 4],
        [variants[1].id, 0],
        [unknown, 0],
      ].sort(),
    );
    expect((await availability(orm, [], NOW)).size).toBe(0);
  });

  it('when reservations exceed stock on hand, then the answer is clamped at 0 rather than negative', async () => {
    const em = orm.em.fork();
    const {
      variants: [variant],
    } = await buildProduct(em, { variants: [{ price: 100, currency: 'EUR', stock: 2 }] });
    em.create(Reservation, { cartId: randomUUID(), variant, quantity: 5, expiresAt: minutes(5) });
    await em.flush();

    expect((await availability(orm, [variant.id], NOW)).get(variant.id)).toBe(0);
  });

  it(`when asked about many variants, then it runs ${statements} statement(s) whatever their number`, async () => {
    const counted: string[] = [];
    const countingOrm = await openTestOrm({ onQuery: (sql) => counted.push(sql) });
    try {
      const em = countingOrm.em.fork();
      const built = [];
      for (let i = 0; i < 20; i++) built.push(await buildProduct(em, { variants: [{ price: 1, currency: 'EUR', stock: i }] }));
      counted.length = 0;

      const available = await availability(
        countingOrm,
        built.map((b) => b.variants[0].id),
        NOW,
      );

      expect(counted.filter((sql) => /select/i.test(sql))).toHaveLength(statements);
      expect(built.map((b) => available.get(b.variants[0].id))).toEqual([...Array(20).keys()]);
    } finally {
      await countingOrm.close(true);
    }
  });
});
