import { OutboxEvent, OutboxEventStatus } from '../../../src/entities';
import { OutboxRelay } from '../../../src/services/outbox/outbox-relay';
import type { OutboxMessage, OutboxSink } from '../../../src/services/outbox/sinks';
import { OutboxOperationsService } from '../../../src/services/operations/outbox-operations.service';
import { systemClock } from '../../../src/services/shared/clock';
import { captureLogLines } from '../../support/log-capture';
import { commitEvents } from './support/commit-events';
import { useRelaySetup } from './support/use-relay-setup';

const HOUR = 3_600_000;

describe('outbox dead letters', () => {
  const h = useRelaySetup();
  const row = (id: string) => h.orm.em.fork().findOneOrFail(OutboxEvent, { id });

  /** Runs the relay at each retry time of the event until `rounds` attempts were made. */
  async function failRounds(id: string, rounds: number, maxAttempts: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const { nextAttemptAt } = await row(id);
      await h.relay({ maxAttempts }).runOnce(h.orm.em.fork(), nextAttemptAt);
    }
  }

  it('when the sink fails OUTBOX_MAX_ATTEMPTS times, then the event is DEAD, logged once at error level, and never claimed again', async () => {
    const [event] = await commitEvents(h.orm, 1);
    h.receiver.answerNext(503, 503, 503, 503);

    const lines = await captureLogLines(() => failRounds(event.id, 3, 3));
    const dead = await row(event.id);
    const later = await h.relay({ maxAttempts: 3 }).runOnce(h.orm.em.fork(), new Date(dead.nextAttemptAt.getTime() + HOUR));

    expect(dead).toMatchObject({ status: OutboxEventStatus.DEAD, attempts: 3, deliveredAt: null, lastError: expect.stringContaining('answered 503') });
    const deadLines = lines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'outbox.dead_letter');
    expect(deadLines).toEqual([
      expect.objectContaining({
        level: 'error',
        eventId: event.id,
        type: 'order.placed',
        attempts: 3,
        lastError: expect.stringContaining('answered 503'),
      }),
    ]);
    expect(later.claimed).toBe(0);
    expect(h.receiver.ids()).toEqual([event.id, event.id, event.id]);
  });

  it('when an event fails fewer times than the limit, then it stays PENDING and is retried', async () => {
    const [event] = await commitEvents(h.orm, 1);
    h.receiver.answerNext(503, 503);

    await failRounds(event.id, 2, 3);
    const retrying = await row(event.id);
    await h.relay({ maxAttempts: 3 }).runOnce(h.orm.em.fork(), retrying.nextAttemptAt);

    expect(retrying).toMatchObject({ status: OutboxEventStatus.PENDING, attempts: 2 });
    expect(await row(event.id)).toMatchObject({ status: OutboxEventStatus.DELIVERED, attempts: 3, lastError: null });
  });

  it('when a dead event is replayed, then the relay delivers it with the same id and a fresh count of attempts', async () => {
    const [event] = await commitEvents(h.orm, 1);
    h.receiver.answerNext(500);
    await failRounds(event.id, 1, 1);
    expect((await row(event.id)).status).toBe(OutboxEventStatus.DEAD);

    const replayed = await new OutboxOperationsService(h.orm.em.fork(), { clock: systemClock }).replay(event.id);
    const round = await h.relay({ maxAttempts: 1 }).runOnce(h.orm.em.fork(), new Date());

    expect(replayed).toMatchObject({ ok: true, value: { id: event.id, status: OutboxEventStatus.PENDING, attempts: 0 } });
    expect(round).toMatchObject({ claimed: 1, delivered: 1 });
    expect(h.receiver.ids()).toEqual([event.id, event.id]);
    expect(await row(event.id)).toMatchObject({ status: OutboxEventStatus.DELIVERED, attempts: 1, lastError: null });
  });

  it('when an operator replays an event while its last allowed attempt is failing, then the replay wins and the event stays PENDING', async () => {
    const [event] = await commitEvents(h.orm, 1);
    const replayDuringPublish: OutboxSink = {
      async publish(message: OutboxMessage) {
        await new OutboxOperationsService(h.orm.em.fork(), { clock: systemClock }).replay(message.id);
        throw new Error('consumer down');
      },
    };

    const lines = await captureLogLines(() => new OutboxRelay(h.deps, replayDuringPublish, { maxAttempts: 1 }).runOnce(h.orm.em.fork(), new Date()));

    expect(await row(event.id)).toMatchObject({ status: OutboxEventStatus.PENDING, attempts: 0, lastError: 'Error: consumer down' });
    expect(lines.filter((line) => line.includes('outbox.dead_letter'))).toEqual([]);
  });
});
