import type { EntityManager, Orm } from '../../../src/db/orm';
import { OutboxEvent } from '../../../src/entities';
import { recordEvent } from '../../../src/services/outbox/outbox';
import { OutboxRelay, type ClaimedEvent } from '../../../src/services/outbox/outbox-relay';
import { HttpSink } from '../../../src/services/outbox/sinks';
import { abortWith, userFailure } from '../../../src/services/shared/outcome';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { transactionalOutcome } from '../../../src/services/shared/transactions';
import { useRelaySetup } from './support/use-relay-setup';
import { commitEvents } from './support/commit-events';

const MINUTE = 60_000;
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

const rows = (orm: Orm) => orm.em.fork().find(OutboxEvent, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });

/** A relay whose process "dies" right after the sink accepted the batch, before marking it delivered. */
class CrashBeforeMarkRelay extends OutboxRelay {
  protected override async markDelivered(_em: EntityManager, events: readonly ClaimedEvent[]): Promise<void> {
    throw new Error(`simulated crash after publishing ${events.map((event) => event.id).join(', ')}`);
  }
}

describe('outbox relay', () => {
  const h = useRelaySetup();

  it('when events are committed, then each is POSTed once with its id header and marked delivered', async () => {
    const events = await commitEvents(h.orm, 3);
    const now = new Date();

    const round = await h.relay().runOnce(h.orm.em.fork(), now);
    const again = await h.relay().runOnce(h.orm.em.fork(), later(now, 60 * MINUTE));

    expect(round).toEqual({ claimed: 3, delivered: 3, failed: 0, deferred: 0 });
    expect(again).toEqual({ claimed: 0, delivered: 0, failed: 0, deferred: 0 });
    // Events of one transaction share a timestamp, so their relative order is not promised.
    expect(h.receiver.received.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    const second = h.receiver.received.find((r) => r.eventId === events[1].id);
    expect(second).toMatchObject({
      eventType: 'order.placed',
      contentType: 'application/json',
      body: {
        id: events[1].id,
        type: 'order.placed',
        aggregateId: 'order-1',
        payload: { index: 1, total: 1_001 },
        createdAt: events[1].createdAt.toISOString(),
      },
    });
    for (const row of await rows(h.orm)) {
      expect(row.deliveredAt?.getTime()).toBe(now.getTime());
      expect(row.attempts).toBe(1);
    }
  });

  it('when the consumer answers 503, then the event waits out a backoff and is retried with the same id', async () => {
    const [event] = await commitEvents(h.orm, 1);
    h.receiver.answerNext(503);
    const now = new Date();
    const fixedJitter = () => 0.5;

    const failed = await h.relay({ random: fixedJitter }).runOnce(h.orm.em.fork(), now);
    const [afterFailure] = await rows(h.orm);
    const tooSoon = await h.relay().runOnce(h.orm.em.fork(), later(now, 100));
    const retried = await h.relay().runOnce(h.orm.em.fork(), afterFailure.nextAttemptAt);

    expect(failed).toEqual({ claimed: 1, delivered: 0, failed: 1, deferred: 0 });
    expect(afterFailure).toMatchObject({ deliveredAt: null, attempts: 1, lastError: expect.stringContaining('answered 503') });
    // First retry: nominal 1 s, equal jitter at 0.5 -> 750 ms.
    expect(afterFailure.nextAttemptAt.getTime() - now.getTime()).toBe(750);
    expect(tooSoon.claimed).toBe(0);
    expect(retried).toEqual({ claimed: 1, delivered: 1, failed: 0, deferred: 0 });
    expect(h.receiver.ids()).toEqual([event.id, event.id]);
    const [delivered] = await rows(h.orm);
    expect(delivered).toMatchObject({ attempts: 2, lastError: null });
    expect(delivered.deliveredAt).not.toBeNull();
  });

  it('when the consumer never answers, then the sink times out and the event is left for a retry', async () => {
    await commitEvents(h.orm, 1);
    h.receiver.answerNext('hang');

    const round = await new OutboxRelay(h.deps, new HttpSink([h.receiver.url], 150)).runOnce(h.orm.em.fork(), new Date());

    expect(round.failed).toBe(1);
    const [row] = await rows(h.orm);
    expect(row.deliveredAt).toBeNull();
    expect(row.lastError).toContain('timed out after 150ms');
  });

  it('when the process dies between publish and mark, then the event is redelivered with the same id after the lease', async () => {
    const [event] = await commitEvents(h.orm, 1);
    const now = new Date();
    const leaseMs = 30_000;

    await expect(new CrashBeforeMarkRelay(h.deps, new HttpSink([h.receiver.url]), { leaseMs }).runOnce(h.orm.em.fork(), now)).rejects.toThrow(
      'simulated crash',
    );
    const [leased] = await rows(h.orm);
    const duringLease = await h.relay({ leaseMs }).runOnce(h.orm.em.fork(), later(now, leaseMs - 1));
    // The second relay claims once the first lease has run out; its own lease is the
    // default, so a slow machine cannot make it defer too.
    const afterLease = await h.relay().runOnce(h.orm.em.fork(), later(now, leaseMs));

    expect(leased).toMatchObject({ deliveredAt: null, attempts: 1 });
    expect(duringLease.claimed).toBe(0);
    expect(afterLease).toEqual({ claimed: 1, delivered: 1, failed: 0, deferred: 0 });
    expect(h.receiver.received.map((r) => r.eventId)).toEqual([event.id, event.id]);
    expect(new Set(h.receiver.received.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it('when one event of a batch fails, then the others are still delivered', async () => {
    await commitEvents(h.orm, 3);
    h.receiver.answerNext(204, 500, 204);

    const round = await h.relay().runOnce(h.orm.em.fork(), new Date());

    expect(round).toEqual({ claimed: 3, delivered: 2, failed: 1, deferred: 0 });
    const rejectedId = h.receiver.received[1].eventId;
    const undelivered = (await rows(h.orm)).filter((row) => row.deliveredAt === null).map((row) => row.id);
    expect(undelivered).toEqual([rejectedId]);
  });

  it('when a slow sink uses up half the lease, then the rest of the batch is left for after the lease instead of racing another relay', async () => {
    await commitEvents(h.orm, 3);
    h.receiver.answerNext('hang');
    const now = new Date();
    const leaseMs = 200;

    // The first publish times out after 150 ms, past half of the 200 ms lease.
    const round = await new OutboxRelay(h.deps, new HttpSink([h.receiver.url], 150), { leaseMs }).runOnce(h.orm.em.fork(), now);
    // The second relay claims once the first lease has run out; its own lease is the
    // default, so a slow machine cannot make it defer too.
    const afterLease = await h.relay().runOnce(h.orm.em.fork(), later(now, leaseMs));

    expect(round).toEqual({ claimed: 3, delivered: 0, failed: 1, deferred: 2 });
    expect(afterLease).toEqual({ claimed: 2, delivered: 2, failed: 0, deferred: 0 });
    expect(new Set(h.receiver.ids()).size).toBe(3);
  });

  it('when the transaction that recorded an event rolls back, then no event exists', async () => {
    await expect(
      h.orm.em.fork().transactional(async (tx) => {
        recordEvent(tx as EntityManager, { type: 'order.cancelled', aggregateId: 'order-x', payload: {} });
        await tx.flush();
        throw new Error('state change failed after the event was flushed');
      }),
    ).rejects.toThrow('state change failed');
    const aborted = await transactionalOutcome(h.orm.em.fork(), async (tx) => {
      recordEvent(tx, { type: 'voucher.redeemed', aggregateId: 'voucher-y', payload: {} });
      await tx.flush();
      return abortWith(userFailure(ErrorCode.VOUCHER_EXHAUSTED, 'gone'));
    });

    expect(aborted.ok).toBe(false);
    expect(await h.orm.em.fork().count(OutboxEvent, {})).toBe(0);
    const round = await h.relay().runOnce(h.orm.em.fork(), later(new Date(), MINUTE));
    expect(round.claimed).toBe(0);
    expect(h.receiver.received).toHaveLength(0);
  });
});
