import { Database } from '../../../src/db/database';
import { finishedSagaRow } from '../../factories/saga.factory';
import { OutboxEvent, SagaExecution, SagaStatus } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from '../cart/cart-test-app';

/** Rows deferred to a transaction's next insert (db/unit-of-work.ts), on both dialects. */
describe('unit of work', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const db = () => new Database(h.app.orm);
  const event = (id: string) => ({
    id,
    type: 'test.deferred',
    aggregateId: 'a',
    payload: { n: 1 },
    createdAt: new Date(),
    nextAttemptAt: new Date(),
    attempts: 0,
  });
  const saga = finishedSagaRow;
  const inserts = (statements: string[]) => statements.filter((sql) => /insert/i.test(sql));

  it('when two events are deferred, then they are written with the next insert, as their own inserts would write them', async () => {
    const [first, second, sagaId] = [newId(), newId(), newId()];
    const statements = await h.statementsDuring(() =>
      db().transaction(em(), async (uow) => {
        uow.defer(OutboxEvent, event(first));
        uow.defer(OutboxEvent, [event(second)]);
        await uow.insert(SagaExecution, saga(sagaId));
      }),
    );

    const events = await em().find(OutboxEvent, { id: [first, second] });
    expect(events.map((row) => ({ id: row.id, payload: row.payload, attempts: row.attempts }))).toEqual(
      expect.arrayContaining([
        { id: first, payload: { n: 1 }, attempts: 0 },
        { id: second, payload: { n: 1 }, attempts: 0 },
      ]),
    );
    expect(await em().findOne(SagaExecution, sagaId)).toMatchObject({ status: SagaStatus.COMPLETED });
    expect(inserts(statements)).toHaveLength(testDialect() === 'postgresql' ? 1 : 3);
  });

  it('when a deferred row fails at the insert that carries it, then the whole transaction writes nothing', async () => {
    const taken = newId();
    await em().insert(OutboxEvent, event(taken));
    const sagaId = newId();
    await expect(
      db().transaction(em(), async (uow) => {
        uow.defer(OutboxEvent, event(taken));
        await uow.insert(SagaExecution, saga(sagaId));
      }),
    ).rejects.toThrow();
    expect(await em().findOne(SagaExecution, sagaId)).toBeNull();
  });

  it('when the work ends with rows still deferred, then the transaction sends them before it commits', async () => {
    const id = newId();
    await db().transaction(em(), async (uow) => {
      uow.defer(OutboxEvent, event(id));
      expect(uow.pending).toBe(true);
    });
    expect(await em().count(OutboxEvent, { id })).toBe(1);
  });

  it('when a read must see a deferred row, then readable() sends it first, and costs nothing when none of that table waits', async () => {
    const id = newId();
    await db().transaction(em(), async (uow) => {
      uow.defer(OutboxEvent, event(id));
      const beforeSaga = await h.statementsDuring(() => uow.readable(SagaExecution));
      expect(beforeSaga).toEqual([]);
      await uow.readable(OutboxEvent);
      expect(await uow.em.count(OutboxEvent, { id })).toBe(1);
      expect(uow.pending).toBe(false);
    });
  });
});
