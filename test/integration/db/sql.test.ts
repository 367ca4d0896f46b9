import { Database } from '../../../src/db/database';
import type { EntityManager } from '../../../src/db/orm';
import { OutboxEvent } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from '../cart/cart-test-app';

/** The one way a store runs a statement (db/sql/sql.ts): prepared on PostgreSQL, the plain path on libSQL. */
describe('Sql: a statement in a manager’s transaction', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const db = () => new Database(h.app.orm);
  const onPostgres = testDialect() === 'postgresql';
  const EVENT_BY_ID = 'select id, type, attempts from outbox_events where id = ?';
  const event = (id: string) => ({ id, type: 'test.sql', aggregateId: 'a', payload: {}, createdAt: new Date(), nextAttemptAt: new Date(), attempts: 3 });

  /**
   * Names this connection has prepared for `text`: a transaction keeps to one
   * connection (which the app's own requests may have used before, for other statements).
   */
  const preparedOnConnection = async (tx: EntityManager, text = EVENT_BY_ID.replace('?', '$1')) =>
    (await tx.execute<{ name: string }[]>("select name from pg_prepared_statements where name like 'tg\\_%' and statement = ?", [text])).map((row) => row.name);

  it('when a read runs twice in a transaction, then it answers its rows, and on PostgreSQL the connection holds it prepared once', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    const database = db();
    await em().transactional(async (tx) => {
      const sql = database.sql(tx as EntityManager);
      const first = await sql.rows(EVENT_BY_ID, [id]);
      expect(first).toEqual([{ id, type: 'test.sql', attempts: 3 }]);
      expect(await sql.rows(EVENT_BY_ID, [id])).toEqual(first);
      if (onPostgres) expect(await preparedOnConnection(tx as EntityManager)).toHaveLength(1);
    });
  });

  it("when a statement runs inside a transaction, then it sees that transaction's own uncommitted rows", async () => {
    const id = newId();
    const database = db();
    await em().transactional(async (tx) => {
      await tx.insert(OutboxEvent, event(id));
      expect(await database.sql(tx as EntityManager).rows(EVENT_BY_ID, [id])).toHaveLength(1);
    });
  });

  it('when an array parameter fills an in-list, then every element is a parameter of its own', async () => {
    const ids = [newId(), newId(), newId()];
    for (const id of ids) await em().insert(OutboxEvent, event(id));
    const rows = await db().sql(em()).rows<{ id: string }>('select id from outbox_events where id in (?) order by id', [ids]);
    expect(rows.map((row) => row.id)).toEqual([...ids].sort());
  });

  it('when a write changes rows, then it answers how many; an update with returning answers its rows on both dialects', async () => {
    const [a, b] = [newId(), newId()];
    await em().insert(OutboxEvent, event(a));
    await em().insert(OutboxEvent, event(b));
    const sql = db().sql(em());
    expect(await sql.write('update outbox_events set attempts = attempts + 1 where id in (?)', [[a, b]])).toBe(2);
    const rows = await sql.rows<{ attempts: number }>('update outbox_events set attempts = attempts + 1 where id = ?\n  returning attempts', [a]);
    expect(rows.map((row) => Number(row.attempts))).toEqual([5]);
  });

  it('when a delete asks for its rows, then it answers the rows it deleted on both dialects', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    const sql = db().sql(em());
    expect(await sql.rows('delete from outbox_events where id = ? returning id', [id])).toEqual([{ id }]);
    expect(await sql.rows('delete from outbox_events where id = ? returning id', [id])).toEqual([]);
  });

  it('when a date, a boolean, an object and no value are parameters, then they are stored as the ORM stores them', async () => {
    const id = newId();
    const at = new Date('2026-12-08T01:02:03.004Z');
    const sql = db().sql(em());
    await sql.write(
      'insert into outbox_events (id, type, aggregate_id, payload, status, attempts, created_at, next_attempt_at, last_error) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, 'test.sql', 'a', { nested: { total: 1250 } }, 'PENDING', 0, sql.time(at), at, undefined],
    );
    const stored = await em().findOneOrFail(OutboxEvent, id);
    expect(stored.payload).toEqual({ nested: { total: 1250 } });
    expect(stored.createdAt.getTime()).toBe(at.getTime());
    expect(stored.nextAttemptAt.getTime()).toBe(at.getTime());
    expect(stored.lastError ?? null).toBeNull();
    const [found] = await sql.rows<{ n: number | string }>('select count(*) as n from outbox_events where id = ? and (1 = 1) = ?', [id, true]);
    expect(Number(found.n)).toBe(1);
  });

  it('when a statement runs, then it is logged and counted as one statement', async () => {
    const statements = await h.statementsDuring(() => db().sql(em()).rows(EVENT_BY_ID, [newId()]));
    expect(statements).toEqual([expect.stringContaining('from outbox_events where id = ?')]);
  });

  it('when prepared statements are off, then the same read answers the same rows and nothing is prepared', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    const unprepared = new Database(h.app.orm, { preparedStatements: false });
    await em().transactional(async (tx) => {
      const text = `${EVENT_BY_ID} and attempts >= 1`;
      expect(await unprepared.sql(tx as EntityManager).rows(text, [id])).toEqual([{ id, type: 'test.sql', attempts: 3 }]);
      if (onPostgres) expect(await tx.execute("select name from pg_prepared_statements where statement like '%attempts >= 1%'")).toEqual([]);
    });
  });

  if (onPostgres) {
    it("when a prepared read cannot take its row lock at once, then it fails with the same MikroORM exception and SQLSTATE as a plain statement's", async () => {
      const id = newId();
      await em().insert(OutboxEvent, event(id));
      const locking = `${EVENT_BY_ID} for update nowait`;
      await em().transactional(async (holder) => {
        await holder.execute('select id from outbox_events where id = ? for update', [id]);
        const plain = await em()
          .execute(locking, [id])
          .catch((error: unknown) => error);
        const prepared = await db()
          .sql(em())
          .rows(locking, [id])
          .catch((error: unknown) => error);
        expect(prepared).toBeInstanceOf((plain as Error).constructor);
        expect((prepared as { code?: string }).code).toBe('55P03');
      });
    });
  }
});
