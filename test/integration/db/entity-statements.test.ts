import { Database } from '../../../src/db/database';
import { entityInsert, entityUpdate } from '../../../src/db/sql/entity-statements';
import { Cart, CartStatus, OrderLine, OutboxEvent, OutboxEventStatus } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { buildCart } from '../../factories/cart.factory';
import { useCartTestApp } from '../cart/cart-test-app';

/**
 * Database.updateRows and a unit of work's inserts: a simple shape is written
 * from the entity's metadata (db/sql/entity-statements.ts) on both dialects and
 * must change the rows exactly as the ORM's nativeUpdate and insert do, which
 * every other shape still uses.
 */
describe('entity updates written from metadata', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const event = (payload: object, nextAttemptAt: Date) => ({
    id: newId(),
    type: 'test.update',
    aggregateId: 'a',
    payload,
    createdAt: nextAttemptAt,
    nextAttemptAt,
    attempts: 0,
  });

  it('when a cart moves, then its version counts up as the ORM counts it', async () => {
    const [ours, theirs] = [await buildCart(em()), await buildCart(em())];
    const moved = await Database.updateRows(em(), Cart, { id: ours.id, status: CartStatus.OPEN }, { status: CartStatus.CHECKING_OUT });
    await em().nativeUpdate(Cart, { id: theirs.id, status: CartStatus.OPEN }, { status: CartStatus.CHECKING_OUT });

    const [a, b] = [await em().findOneOrFail(Cart, ours.id), await em().findOneOrFail(Cart, theirs.id)];
    expect(moved).toBe(1);
    expect([a.status, a.version]).toEqual([b.status, b.version]);
    expect(a.version).toBe(ours.version + 1);
    expect(await Database.updateRows(em(), Cart, { id: ours.id, status: CartStatus.OPEN }, { status: CartStatus.CHECKING_OUT })).toBe(0);
  });

  it('when rows are picked by a list, a comparison and null, and given JSON, a date and a number, then they read back as the ORM writes them', async () => {
    const due = new Date(Date.now() - 60_000);
    const rows = [event({ n: 1 }, due), event({ n: 2 }, due), event({ n: 3 }, due), event({ n: 4 }, due)];
    await em().insertMany(OutboxEvent, rows);
    const later = new Date(due.getTime() + 3_600_000);
    const data = { lastError: null, attempts: 3, nextAttemptAt: later, payload: { list: [1, 2], nested: { a: 'x' } } };
    const filter = (ids: string[]) => ({ id: { $in: ids }, nextAttemptAt: { $lte: new Date() }, deliveredAt: null, status: OutboxEventStatus.PENDING });

    const ours = await Database.updateRows(em(), OutboxEvent, filter([rows[0]!.id, rows[1]!.id]), data);
    const theirs = await em().nativeUpdate(OutboxEvent, filter([rows[2]!.id, rows[3]!.id]), data);

    expect([ours, theirs]).toEqual([2, 2]);
    const read = await em().find(OutboxEvent, { id: rows.map((row) => row.id) }, { orderBy: { payload: 'asc' } });
    const shape = (row: OutboxEvent) => ({
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt.getTime(),
      payload: row.payload,
      lastError: row.lastError,
    });
    const [first, ...others] = read.map(shape);
    for (const other of others) expect(other).toEqual(first);
    expect(first).toEqual({ attempts: 3, nextAttemptAt: later.getTime(), payload: data.payload, lastError: null });
  });

  it("when a transaction's deferred rows are written from metadata, then they read back as the ORM's own insert writes them", async () => {
    const at = new Date('2026-12-08T01:02:03.004Z');
    const [ours, theirs] = [event({ list: [1, 2], nested: { a: 'x' } }, at), event({ list: [1, 2], nested: { a: 'x' } }, at)];
    await h.app.tillgate.deps.db.transaction(em(), async (uow) => uow.defer(OutboxEvent, ours));
    await em().insert(OutboxEvent, theirs);

    const shape = (row: OutboxEvent) => ({ ...row, id: undefined, createdAt: row.createdAt.getTime(), nextAttemptAt: row.nextAttemptAt.getTime() });
    const [a, b] = [await em().findOneOrFail(OutboxEvent, ours.id), await em().findOneOrFail(OutboxEvent, theirs.id)];
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a)).toMatchObject({ payload: { list: [1, 2], nested: { a: 'x' } }, createdAt: at.getTime(), status: OutboxEventStatus.PENDING, attempts: 0 });
  });

  it('when rows are inserted from metadata, then each column is named once, JSON goes as text and a many-to-one by its id; rows of other shapes are left to the ORM', () => {
    const meta = h.app.orm.getMetadata().get(OutboxEvent.name);
    const platform = h.app.orm.em.getPlatform();
    const at = new Date(0);
    const insert = entityInsert(meta, platform, [
      { id: 'a', type: 't', aggregateId: 'x', payload: { list: [1] }, createdAt: at },
      { id: 'b', type: 't', aggregateId: 'y', payload: [2], createdAt: at },
    ]);
    expect(insert?.text).toBe('insert into "outbox_events" ("id", "type", "aggregate_id", "payload", "created_at") values (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)');
    // JSON as its text, so an array is not taken for a PostgreSQL array; other values as they are.
    expect(insert?.params).toEqual(['a', 't', 'x', '{"list":[1]}', insert?.params[4], 'b', 't', 'y', '[2]', insert?.params[9]]);
    const lines = h.app.orm.getMetadata().get(OrderLine.name);
    expect(entityInsert(lines, platform, [{ id: 'l', order: 'o' }])?.text).toBe('insert into "order_lines" ("id", "order_id") values (?, ?)');
    expect(entityInsert(lines, platform, [{ id: 'l', order: { id: 'o' } }])).toBeNull();
    expect(entityInsert(meta, platform, [{ id: 'a' }, { id: 'b', type: 't' }])).toBeNull();
    expect(entityInsert(meta, platform, [{ id: 'a', type: undefined }])).toBeNull();
  });

  it('when a shape is not a simple one (a relation, an $or, an empty update, an undefined value), then it is left to the ORM', () => {
    const meta = h.app.orm.getMetadata().get(OutboxEvent.name);
    const platform = h.app.orm.em.getPlatform();
    expect(entityUpdate(meta, platform, { $or: [{ id: 'a' }] }, { attempts: 1 })).toBeNull();
    expect(entityUpdate(meta, platform, { id: 'a' }, {})).toBeNull();
    expect(entityUpdate(meta, platform, { id: 'a' }, { attempts: undefined })).toBeNull();
    expect(entityUpdate(meta, platform, { id: { $like: 'a%' } }, { attempts: 1 })).toBeNull();
    expect(entityUpdate(meta, platform, { id: 'a', status: OutboxEventStatus.PENDING }, { attempts: 1 })).toEqual({
      text: 'update "outbox_events" set "attempts" = ? where "id" = ? and "status" = ?',
      params: [1, 'a', OutboxEventStatus.PENDING],
    });
  });
});
