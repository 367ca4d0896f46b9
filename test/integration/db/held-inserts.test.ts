import { flushHeld, holdInserts, insertWhenFlushed, insertWithHeld } from '../../../src/db/held-inserts';
import type { EntityManager } from '../../../src/db/orm';
import { OutboxEvent, SagaExecution, SagaStatus } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from '../cart/cart-test-app';

/** Rows held for a transaction's last insert (db/held-inserts.ts), on both dialects. */
describe('held inserts', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const event = (id: string) => ({ id, type: 'test.held', aggregateId: 'a', payload: { n: 1 }, createdAt: new Date(), nextAttemptAt: new Date(), attempts: 0 });
  const saga = (id: string) => ({ id, kind: 'test', key: id, status: SagaStatus.COMPLETED, stepsCompleted: 1, data: {}, createdAt: new Date(), updatedAt: new Date() });
  let statements: string[] = [];
  const counted = async (work: (tx: EntityManager) => Promise<void>) => {
    statements = await h.statementsDuring(() => em().transactional((tx) => work(tx as EntityManager)));
  };

  it('when a transaction holds two events, then they are written with its last insert, as its own inserts would write them', async () => {
    const [first, second, sagaId] = [newId(), newId(), newId()];
    await counted(async (tx) => {
      holdInserts(tx);
      await insertWhenFlushed(tx, OutboxEvent, event(first));
      await insertWhenFlushed(tx, OutboxEvent, event(second));
      await insertWithHeld(tx, SagaExecution, saga(sagaId));
    });

    const events = await em().find(OutboxEvent, { id: [first, second] });
    expect(events.map((row) => ({ id: row.id, payload: row.payload, attempts: row.attempts }))).toEqual(
      expect.arrayContaining([{ id: first, payload: { n: 1 }, attempts: 0 }, { id: second, payload: { n: 1 }, attempts: 0 }]),
    );
    expect(await em().findOne(SagaExecution, sagaId)).toMatchObject({ status: SagaStatus.COMPLETED });
    // begin, the inserts, commit: one insert statement on PostgreSQL, three on libSQL.
    expect(statements.filter((sql) => /insert/i.test(sql))).toHaveLength(testDialect() === 'postgresql' ? 1 : 3);
  });

  it('when a held insert fails at the last insert, then the whole transaction writes nothing', async () => {
    const taken = newId();
    await em().insert(OutboxEvent, event(taken));
    const sagaId = newId();
    await expect(counted(async (tx) => {
      holdInserts(tx);
      await insertWhenFlushed(tx, OutboxEvent, event(taken));
      await insertWithHeld(tx, SagaExecution, saga(sagaId));
    })).rejects.toThrow();
    expect(await em().findOne(SagaExecution, sagaId)).toBeNull();
  });

  it('when a transaction holds nothing, then an insert is written at once, and flushing writes what is held', async () => {
    const [now, later] = [newId(), newId()];
    await counted(async (tx) => {
      await insertWhenFlushed(tx, OutboxEvent, event(now));
      expect(await tx.count(OutboxEvent, { id: now })).toBe(1);
      holdInserts(tx);
      await insertWhenFlushed(tx, OutboxEvent, event(later));
      expect(await tx.count(OutboxEvent, { id: later })).toBe(0);
      await flushHeld(tx);
    });
    expect(await em().count(OutboxEvent, { id: [now, later] })).toBe(2);
  });
});
