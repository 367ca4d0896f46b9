import type { EntityManager } from '../../../src/db/orm';
import { OutboxEvent } from '../../../src/entities';
import { recordEvent } from '../../../src/services/outbox/outbox';
import { startTestApp } from '../../support/test-app';
import { EventReceiver } from '../outbox/support/event-receiver';

describe('workers inside the gateway process', () => {
  it('when WORKERS is on, then the gateway relays outbox events itself and close() stops the workers', async () => {
    const receiver = await new EventReceiver().start();
    const app = await startTestApp({ WORKERS: 'on', WORKER_POLL_INTERVAL: '20ms', OUTBOX_HTTP_SINK_URLS: receiver.url });
    try {
      expect(app.tillgate.workers?.workerNames).toContain('outbox-relay');
      const event = await app.orm.em
        .fork()
        .transactional(async (tx) =>
          recordEvent(tx as EntityManager, { type: 'order.cancelled', aggregateId: 'order-1', payload: { reason: 'changed mind' } }),
        );

      await receiver.waitFor(1);

      expect(receiver.received[0]).toMatchObject({ eventId: event.id, body: { type: 'order.cancelled', payload: { reason: 'changed mind' } } });
    } finally {
      await app.tillgate.close();
      // After close no tick may still be running against the database.
      const undelivered = await app.orm.em.fork().count(OutboxEvent, { deliveredAt: null });
      expect(undelivered).toBe(0);
      await app.orm.close(true);
      await receiver.close();
    }
  });

  it('when WORKERS is off, then the gateway starts no workers', async () => {
    const app = await startTestApp({ WORKERS: 'off' });
    try {
      expect(app.tillgate.workers).toBeNull();
    } finally {
      await app.close();
    }
  });
});
