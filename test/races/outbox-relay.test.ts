import { LockMode } from '@mikro-orm/core';
import { OutboxEvent } from '../../src/entities';
import { commitEvents } from '../integration/outbox/support/commit-events';
import { useRelaySetup } from '../integration/outbox/support/use-relay-setup';

/** PostgreSQL only (this folder runs in the postgresql project): SKIP LOCKED claims under real concurrency. */
describe('outbox relay concurrency (PostgreSQL)', () => {
  const h = useRelaySetup();

  it('when another transaction holds some events, then a relay skips them instead of waiting (SKIP LOCKED)', async () => {
    const events = await commitEvents(h.orm, 10);
    const now = new Date();
    const held = new Set(events.slice(0, 4).map((e) => e.id));

    const round = await h.orm.em.fork().transactional(async (tx) => {
      const locked = await tx.find(OutboxEvent, { id: { $in: [...held] } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      expect(locked).toHaveLength(4);
      // Without SKIP LOCKED this claim would block on the rows held here, forever.
      return h.relay().runOnce(h.orm.em.fork(), now);
    });

    expect(round).toEqual({ claimed: 6, delivered: 6, failed: 0, deferred: 0 });
    expect(h.receiver.ids().some((id) => held.has(id))).toBe(false);
  });

  it('when two relays run rounds concurrently, then every event is delivered exactly once', async () => {
    const events = await commitEvents(h.orm, 120);
    const first = h.relay({ batchSize: 25 });
    const second = h.relay({ batchSize: 25 });
    const now = new Date();

    let rounds = 0;
    for (;;) {
      const [a, b] = await Promise.all([first.runOnce(h.orm.em.fork(), now), second.runOnce(h.orm.em.fork(), now)]);
      rounds += 1;
      if (a.claimed + b.claimed === 0) break;
    }

    expect(h.receiver.received).toHaveLength(120);
    expect(new Set(h.receiver.ids())).toEqual(new Set(events.map((e) => e.id)));
    expect(rounds).toBeLessThanOrEqual(4);
    expect(await h.orm.em.fork().count(OutboxEvent, { deliveredAt: null })).toBe(0);
  });
});
