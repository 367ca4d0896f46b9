import { Database } from '../../../src/db/database';
import type { EntityManager } from '../../../src/db/orm';
import { setPreparedStatements } from '../../../src/db/sql/prepared-statements';
import { OutboxEvent } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from '../cart/cart-test-app';

/**
 * Which statements a Database sends prepared (db/sql/prepared-statements.ts): on PostgreSQL, by
 * name, unless DATABASE_PREPARED_STATEMENTS is off or the store asks for text; libSQL never prepares,
 * so there only the answers are checked. db/sql.test.ts covers the answers themselves.
 */
describe('prepared statements of a Database', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const onPostgres = testDialect() === 'postgresql';
  const EVENT_BY_ID = 'select id, type, attempts from outbox_events where id = ?';
  const event = (id: string) => ({ id, type: 'test.prepared', aggregateId: 'a', payload: {}, createdAt: new Date(), nextAttemptAt: new Date(), attempts: 3 });
  const answer = (id: string) => [{ id, type: 'test.prepared', attempts: 3 }];

  /** The texts this connection holds prepared whose text holds `marker`: a transaction keeps to one connection. */
  const preparedOnConnection = async (tx: EntityManager, marker: string) =>
    (
      await tx.execute<{ statement: string }[]>("select statement from pg_prepared_statements where name like 'tg\\_%' and statement like ?", [`%${marker}%`])
    ).map((row) => row.statement);

  it('when the ORM was opened with DATABASE_PREPARED_STATEMENTS off, then a Database over it answers the same rows and prepares nothing', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    setPreparedStatements(h.app.orm.config, false);
    let database: Database;
    try {
      database = new Database(h.app.orm);
    } finally {
      setPreparedStatements(h.app.orm.config, true);
    }
    await em().transactional(async (tx) => {
      const text = `${EVENT_BY_ID} and attempts >= 2`;
      expect(await database.sql(tx as EntityManager).rows(text, [id])).toEqual(answer(id));
      if (onPostgres) expect(await preparedOnConnection(tx as EntityManager, 'attempts >= 2')).toEqual([]);
    });
  });

  it('when a store asks for a statement as text, then that one is not prepared while the same database prepares the others', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    const database = new Database(h.app.orm);
    await em().transactional(async (tx) => {
      const asText = `${EVENT_BY_ID} and attempts >= 3`;
      const prepared = `${EVENT_BY_ID} and attempts <= 3`;
      expect(await database.sql(tx as EntityManager, { prepared: false }).rows(asText, [id])).toEqual(answer(id));
      expect(await database.sql(tx as EntityManager).rows(prepared, [id])).toEqual(answer(id));
      if (onPostgres) {
        expect(await preparedOnConnection(tx as EntityManager, 'attempts >= 3')).toEqual([]);
        expect(await preparedOnConnection(tx as EntityManager, 'attempts <= 3')).toHaveLength(1);
      }
    });
  });

  it('when two Databases over one ORM run the same statement on one connection, then both answer and the connection holds it prepared once', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    const [first, second] = [new Database(h.app.orm), new Database(h.app.orm)];
    await em().transactional(async (tx) => {
      const text = `${EVENT_BY_ID} and attempts <> 4`;
      expect(await first.sql(tx as EntityManager).rows(text, [id])).toEqual(answer(id));
      expect(await second.sql(tx as EntityManager).rows(text, [id])).toEqual(answer(id));
      if (onPostgres) expect(await preparedOnConnection(tx as EntityManager, 'attempts <> 4')).toHaveLength(1);
    });
  });

  it('when an in-list read runs with two ids and then with three, then each answers its rows, and on PostgreSQL each length is prepared once', async () => {
    const ids = [newId(), newId(), newId()].sort();
    for (const id of ids) await em().insert(OutboxEvent, event(id));
    const database = new Database(h.app.orm);
    await em().transactional(async (tx) => {
      const sql = database.sql(tx as EntityManager);
      const text = 'select id from outbox_events where id in (?) and attempts > 0 order by id';
      const idsOf = async (wanted: string[]) => (await sql.rows<{ id: string }>(text, [wanted])).map((row) => row.id);
      expect(await idsOf(ids.slice(0, 2))).toEqual(ids.slice(0, 2));
      expect(await idsOf(ids)).toEqual(ids);
      expect(await idsOf(ids.slice(1))).toEqual(ids.slice(1));
      if (onPostgres) {
        expect((await preparedOnConnection(tx as EntityManager, 'attempts > 0 order by id')).sort()).toEqual([
          'select id from outbox_events where id in ($1, $2) and attempts > 0 order by id',
          'select id from outbox_events where id in ($1, $2, $3) and attempts > 0 order by id',
        ]);
      }
    });
  });
});
