import type { EntityManager } from '../../../src/db/orm';
import { preparedRows, setPreparedStatements } from '../../../src/db/prepared-statements';
import { OutboxEvent } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from '../cart/cart-test-app';

/** The hot reads as named prepared statements on PostgreSQL (db/prepared-statements.ts); the plain path on libSQL. */
describe('prepared statements', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const onPostgres = testDialect() === 'postgresql';
  const EVENT_BY_ID = 'select id, type, attempts from outbox_events where id = ?';
  const event = (id: string) => ({ id, type: 'test.prepared', aggregateId: 'a', payload: {}, createdAt: new Date(), nextAttemptAt: new Date(), attempts: 3 });

  /** Names this connection has prepared: a transaction keeps to one connection. */
  const preparedOnConnection = async (tx: EntityManager) =>
    (await tx.execute<{ name: string }[]>("select name from pg_prepared_statements where name like 'tg\\_%'")).map((row) => row.name);

  it('when a read runs twice in a transaction, then it answers its rows, and on PostgreSQL the connection holds it prepared once', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));

    await em().transactional(async (tx) => {
      const first = await preparedRows(tx as EntityManager, EVENT_BY_ID, [id]);
      const second = await preparedRows(tx as EntityManager, EVENT_BY_ID, [id]);
      expect(first).toEqual([{ id, type: 'test.prepared', attempts: 3 }]);
      expect(second).toEqual(first);
      if (onPostgres) expect(await preparedOnConnection(tx as EntityManager)).toHaveLength(1);
    });
  });

  it("when the read runs inside a transaction, then it sees that transaction's own uncommitted rows", async () => {
    const id = newId();
    await em().transactional(async (tx) => {
      await tx.insert(OutboxEvent, event(id));
      expect(await preparedRows(tx as EntityManager, EVENT_BY_ID, [id])).toHaveLength(1);
    });
  });

  it('when a prepared read runs, then it is logged and counted as one statement', async () => {
    const id = newId();
    const statements = await h.statementsDuring(() => preparedRows(em(), EVENT_BY_ID, [id]));
    expect(statements).toEqual([expect.stringContaining('from outbox_events where id = ?')]);
  });

  it('when DATABASE_PREPARED_STATEMENTS is off, then the same read answers the same rows and nothing is prepared', async () => {
    const id = newId();
    await em().insert(OutboxEvent, event(id));
    const unpreparedText = `${EVENT_BY_ID} and attempts >= 0`;
    setPreparedStatements(h.app.orm.config, false);
    try {
      await em().transactional(async (tx) => {
        expect(await preparedRows(tx as EntityManager, unpreparedText, [id])).toEqual([{ id, type: 'test.prepared', attempts: 3 }]);
        if (onPostgres) {
          const prepared = await tx.execute("select name from pg_prepared_statements where statement like '%attempts >= 0%'");
          expect(prepared).toEqual([]);
        }
      });
    } finally {
      setPreparedStatements(h.app.orm.config, true);
    }
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
        const prepared = await preparedRows(em(), locking, [id]).catch((error: unknown) => error);
        expect(prepared).toBeInstanceOf((plain as Error).constructor);
        expect((prepared as { code?: string }).code).toBe('55P03');
        expect((plain as { code?: string }).code).toBe('55P03');
      });
    });
  }
});
