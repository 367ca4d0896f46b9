import { LockMode } from '@mikro-orm/core';
import type { Orm } from '../../src/db/orm';
import { OutboxEvent } from '../../src/entities';
import { OutboxRelay } from '../../src/services/outbox/outbox-relay';
import { HttpSink } from '../../src/services/outbox/sinks';
import { openTestOrm, truncateAll } from '../support/test-database';
import { commitEvents } from '../integration/outbox/support/commit-events';
import { EventReceiver } from '../integration/outbox/support/event-receiver';

/** PostgreSQL only (this folder runs in the postgresql project): SKIP LOCKED claims under real concurrency. */
describe('outbox relay concurrency (PostgreSQL)', () => {
  let orm: Orm;
  let receiver: EventReceiver;
  beforeAll(async () => {
    orm = await openTestOrm();
  });
  beforeEach(async () => {
    await truncateAll(orm);
    receiver = await new EventReceiver().start();
  });
  afterEach(() => receiver.close());
  afterAll(() => orm.close(true));

  const relay = (options: ConstructorParameters<typeof OutboxRelay>[1] = {}) => new OutboxRelay(new HttpSink([receiver.url], 2_000), options);

  it('when another transaction holds some events, then a relay skips them instead of waiting (SKIP LOCKED)', async () => {
    const events = await commitEvents(orm, 10);
    const now = new Date();
    const held = new Set(events.slice(0, 4).map((e) => e.id));

    const round = await orm.em.fork().transactional(async (tx) => {
      const locked = await tx.find(OutboxEvent, { id: { $in: [...held] } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      expect(locked).toHaveLength(4);
      // Without SKIP LOCKED this claim would block on the rows held here, forever.
      return relay().runOnce(orm.em.fork(), now);
    });

    expect(round).toEqual({ claimed: 6, delivered: 6, failed: 0, deferred: 0 });
    expect(receiver.ids().some((id) => held.has(id))).toBe(false);
  });

  it('when two relays run rounds concurrently, then every event is delivered exactly once', async () => {
    const events = await commitEvents(orm, 120);
    const first = relay({ batchSize: 25 });
    const second = relay({ batchSize: 25 });
    const now = new Date();

    let rounds = 0;
    for (;;) {
      const [a, b] = await Promise.all([first.runOnce(orm.em.fork(), now), second.runOnce(orm.em.fork(), now)]);
      rounds += 1;
      if (a.claimed + b.claimed === 0) break;
    }

    expect(receiver.received).toHaveLength(120);
    expect(new Set(receiver.ids())).toEqual(new Set(events.map((e) => e.id)));
    expect(rounds).toBeLessThanOrEqual(4);
    expect(await orm.em.fork().count(OutboxEvent, { deliveredAt: null })).toBe(0);
  });
});
