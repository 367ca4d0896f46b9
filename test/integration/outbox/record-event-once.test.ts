import { OutboxEvent } from '../../../src/entities';
import { newId } from '../../../src/entities/columns';
import type { EntityManager } from '../../../src/db/orm';
import type { EventToRecord } from '../../../src/db/stores/outbox-store';
import { onceEventId } from '../../../src/services/outbox/outbox';
import { isId } from '../../../src/services/shared/ids';
import { useCartTestApp } from '../cart/cart-test-app';

/** An event that must exist once per aggregate (an automatic refund's report), whoever writes it and however often. */
describe('events recorded once', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  /** The event through the outbox store, in a transaction of its own (payment settlement writes it so). */
  const appendOnce = (event: EventToRecord) =>
    em().transactional((tx) => {
      const { db, stores } = h.app.tillgate.deps;
      return stores.outbox.appendOnce(db.unitOfWork(tx as EntityManager), event);
    });

  it('when the id of a once-only event is made, then it is a valid id, the same every time, and differs by type and aggregate', () => {
    const orderId = newId();
    expect(isId(onceEventId('payment.auto_refunded', orderId))).toBe(true);
    expect(onceEventId('payment.auto_refunded', orderId)).toBe(onceEventId('payment.auto_refunded', orderId));
    expect(onceEventId('payment.auto_refunded', orderId)).not.toBe(onceEventId('payment.auto_refunded', newId()));
    expect(onceEventId('payment.auto_refunded', orderId)).not.toBe(onceEventId('order.placed', orderId));
  });

  it('when five writers record the same once-only event at the same time, then one row exists, with the first payload', async () => {
    const orderId = newId();
    const event = (n: number) => ({ type: 'payment.auto_refunded', aggregateId: orderId, payload: { n } });
    await appendOnce(event(0));

    await Promise.all([1, 2, 3, 4, 5].map((n) => appendOnce(event(n))));

    const rows = await em().find(OutboxEvent, { aggregateId: orderId });
    expect(rows.map((row) => ({ id: row.id, payload: row.payload }))).toEqual([{ id: onceEventId('payment.auto_refunded', orderId), payload: { n: 0 } }]);
  });
});
