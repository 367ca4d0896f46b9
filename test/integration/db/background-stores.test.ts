import { Database } from '../../../src/db/database';
import { finishedSagaRow } from '../../factories/saga.factory';
import type { EntityManager } from '../../../src/db/orm';
import { createStores } from '../../../src/db/stores';
import { OutboxEvent, OutboxEventStatus, SagaExecution } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from '../cart/cart-test-app';

/** What the background stores add to the foundation: events appended through a unit of work, statements sent as text on request. */
describe('background stores', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const db = () => new Database(h.app.orm);
  const onPostgres = testDialect() === 'postgresql';
  const saga = finishedSagaRow;
  const eventsAbout = (aggregateId: string) => em().find(OutboxEvent, { aggregateId }, { orderBy: { type: 'asc' } });

  it('when events are appended in a unit of work, then they go out with its next insert, pending and due, and commit with it', async () => {
    const aggregateId = newId();
    const database = db();
    const { outbox } = createStores(database);

    const statements = await h.statementsDuring(() =>
      database.transaction(em(), async (uow) => {
        outbox.append(uow, [
          { type: 'test.first', aggregateId, payload: { n: 1 } },
          { type: 'test.second', aggregateId, payload: { n: 2 } },
        ]);
        expect(uow.pending).toBe(true);
        await uow.insert(SagaExecution, saga(newId()));
      }),
    );

    const events = await eventsAbout(aggregateId);
    expect(events.map((event) => [event.type, event.payload, event.status, event.attempts])).toEqual([
      ['test.first', { n: 1 }, OutboxEventStatus.PENDING, 0],
      ['test.second', { n: 2 }, OutboxEventStatus.PENDING, 0],
    ]);
    expect(events.every((event) => event.nextAttemptAt.getTime() <= Date.now())).toBe(true);
    expect(statements.filter((sql) => /insert/i.test(sql))).toHaveLength(onPostgres ? 1 : 2);
  });

  it('when the transaction that appended events rolls back, then none of them is written', async () => {
    const aggregateId = newId();
    const database = db();
    const { outbox } = createStores(database);

    await expect(
      database.transaction(em(), async (uow) => {
        outbox.append(uow, [{ type: 'test.lost', aggregateId, payload: {} }]);
        await uow.flush();
        throw new Error('the change they describe failed');
      }),
    ).rejects.toThrow('the change they describe failed');

    expect(await eventsAbout(aggregateId)).toEqual([]);
  });

  it('when events are appended outside a transaction, then the append refuses, as nothing would send them', () => {
    const { outbox } = createStores(db());
    expect(() => outbox.append(db().unitOfWork(em()), [{ type: 'test.orphan', aggregateId: newId(), payload: {} }])).toThrow(/needs a transaction/);
  });

  it('when a statement is asked for as text, then it answers as the prepared one does and PostgreSQL keeps no statement for it', async () => {
    const id = newId();
    await em().insert(OutboxEvent, { id, type: 'test.text', aggregateId: 'a', payload: {}, createdAt: new Date(), nextAttemptAt: new Date(), attempts: 2 });
    const database = db();
    const text = 'select id, attempts from outbox_events where id = ? and attempts >= 2';
    const prepared = async (tx: EntityManager) =>
      tx.execute<{ name: string }[]>("select name from pg_prepared_statements where statement like '%attempts >= 2%'");

    await em().transactional(async (raw) => {
      const tx = raw as EntityManager;
      const asText = await database.sql(tx, { prepared: false }).rows<{ id: string; attempts: number }>(text, [id]);
      expect(asText.map((row) => [row.id, Number(row.attempts)])).toEqual([[id, 2]]);
      if (onPostgres) expect(await prepared(tx)).toEqual([]);

      const asNamed = await database.sql(tx).rows<{ id: string; attempts: number }>(text, [id]);
      expect(asNamed.map((row) => [row.id, Number(row.attempts)])).toEqual([[id, 2]]);
      if (onPostgres) expect(await prepared(tx)).toHaveLength(1);
    });
  });
});
