import { composeAppDeps } from '../../../src/composition-root';
import { loadConfig } from '../../../src/config';
import type { EntityManager, Orm } from '../../../src/db/orm';
import { Order, OutboxEvent } from '../../../src/entities';
import type { AppDeps } from '../../../src/services/app-deps';
import { TokenService } from '../../../src/services/auth/tokens';
import { recordEvent } from '../../../src/services/outbox/outbox';
import { OutboxRelay } from '../../../src/services/outbox/outbox-relay';
import { LogSink, type OutboxMessage, type OutboxSink } from '../../../src/services/outbox/sinks';
import { systemClock } from '../../../src/services/shared/clock';
import { allWorkers, WorkerRunner } from '../../../src/services/workers';
import { buildOrder } from '../../factories/order.factory';
import { openTestOrm, truncateAll } from '../../support/test-database';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { commitEvents } from '../outbox/support/commit-events';

/** Resolves once `count` statements were seen; a test waits on the database, never on a sleep. */
interface StatementLog {
  readonly statements: string[];
  counting: boolean;
  reached(count: number): Promise<void>;
}

function statementLog(): StatementLog & { record(sql: string): void } {
  const waiters: { count: number; resolve: () => void }[] = [];
  const log = {
    statements: [] as string[],
    counting: false,
    reached(count: number) {
      return log.statements.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
    record(sql: string) {
      if (!log.counting) return;
      log.statements.push(sql);
      for (const waiter of waiters.filter((w) => log.statements.length >= w.count)) waiter.resolve();
    },
  };
  return log;
}

/** A sink that refuses the events whose payload index is listed. */
class RefusingSink implements OutboxSink {
  constructor(private readonly refused: ReadonlySet<number>) {}
  async publish(event: OutboxMessage): Promise<void> {
    if (this.refused.has(Number(event.payload.index))) throw new Error(`consumer refused ${event.id}`);
  }
}

/**
 * A quiet background: what the workers cost in statements.
 * Stripe is configured (not called), so the whole worker set runs, payouts included.
 */
describe('background statement budget', () => {
  const log = statementLog();
  let orm: Orm;
  beforeAll(async () => {
    orm = await openTestOrm({ onQuery: (sql) => log.record(sql) });
  });
  beforeEach(async () => {
    await truncateAll(orm);
    log.counting = false;
    log.statements.length = 0;
  });
  afterAll(() => orm.close(true));

  const depsWith = (env: Record<string, string> = {}): AppDeps => {
    const config = loadConfig({
      WORKERS: 'off',
      STRIPE_SECRET_KEY: 'sk_test_unused',
      STRIPE_WEBHOOK_SECRET: 'whsec_unused',
      STRIPE_API_BASE: 'http://127.0.0.1:9',
      ...env,
    });
    return composeAppDeps(config, orm, new TokenService(TEST_AUTH_SECRET), { clock: systemClock, outbox: new LogSink() });
  };
  const runnerWith = (deps: AppDeps) => {
    const runner = new WorkerRunner(deps);
    for (const worker of allWorkers(deps)) runner.register(worker);
    return runner;
  };
  const counted = async <T>(act: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    log.statements.length = 0;
    log.counting = true;
    try {
      const result = await act();
      return { result, statements: [...log.statements] };
    } finally {
      log.counting = false;
    }
  };

  it('when nothing is due, then one tick of the whole worker set is one statement and starts no worker', async () => {
    const runner = runnerWith(depsWith());

    const { result: ran, statements } = await counted(() => runner.runDueOnce());

    expect(runner.workerNames).toEqual(
      expect.arrayContaining([
        'outbox-relay',
        'saga-recovery',
        'reservation-expiry',
        'payout-planner',
        'seller-transfers',
        'transfer-reversals',
        'pending-refunds',
      ]),
    );
    expect(ran).toEqual({});
    expect(statements).toHaveLength(1);
  });

  it('when the runner idles, then it asks at most once per poll interval, one statement each time', async () => {
    const intervalMs = 40;
    const runner = runnerWith(depsWith({ WORKER_POLL_INTERVAL: `${intervalMs}ms` }));
    log.counting = true;
    const startedAt = performance.now();
    runner.start();

    await log.reached(6);
    const elapsed = performance.now() - startedAt;
    await runner.stop();
    log.counting = false;

    // The first tick is at start; five more need at least five intervals (timers never fire early).
    expect(elapsed).toBeGreaterThanOrEqual(5 * intervalMs - 2);
    expect(log.statements.slice(0, 6).every((sql) => /select \(exists/i.test(sql))).toBe(true);
  });

  it('when a relay round publishes a batch, then it costs one claim and one mark statement whatever its size', async () => {
    await commitEvents(orm, 1);
    const one = await counted(() => new OutboxRelay(depsWith(), new LogSink()).runOnce(orm.em.fork(), new Date()));
    await commitEvents(orm, 25);
    const many = await counted(() => new OutboxRelay(depsWith(), new LogSink()).runOnce(orm.em.fork(), new Date()));

    expect(one.result).toEqual({ claimed: 1, delivered: 1, failed: 0, deferred: 0 });
    expect(one.statements).toHaveLength(2);
    expect(many.result).toEqual({ claimed: 25, delivered: 25, failed: 0, deferred: 0 });
    expect(many.statements).toHaveLength(2);
  });

  it('when some events of a batch fail, then their retries are scheduled in one more statement, each with its own backoff', async () => {
    await commitEvents(orm, 6);
    const now = new Date();

    const { result, statements } = await counted(() =>
      new OutboxRelay(depsWith(), new RefusingSink(new Set([1, 4])), { random: () => 0 }).runOnce(orm.em.fork(), now),
    );

    expect(result).toEqual({ claimed: 6, delivered: 4, failed: 2, deferred: 0 });
    expect(statements).toHaveLength(3);
    const failed = await orm.em.fork().find(OutboxEvent, { deliveredAt: null }, { orderBy: { aggregateId: 'asc' } });
    expect(failed.map((e) => [e.aggregateId, e.attempts, e.nextAttemptAt.getTime() - now.getTime()])).toEqual([
      ['order-1', 1, 500],
      ['order-4', 1, 500],
    ]);
    expect(failed.map((e) => e.lastError)).toEqual([expect.stringContaining(failed[0].id), expect.stringContaining(failed[1].id)]);
  });

  it('when a cash-on-delivery checkout was placed, then the workers handle its background in at most 6 statements and go quiet', async () => {
    const order = await placedOrderAnnounced(orm.em.fork());
    const runner = runnerWith(depsWith());

    // As the live runner does: tick, run the due workers, tick again at once while they handled something.
    const { result: waves, statements } = await counted(async () => {
      const ran: Record<string, number>[] = [];
      for (let wave = await runner.runDueOnce(); Object.keys(wave).length > 0; wave = await runner.runDueOnce()) ran.push(wave);
      return ran;
    });

    expect(waves).toEqual([{ 'outbox-relay': 1, 'payout-planner': 1 }]);
    expect(statements.length).toBeLessThanOrEqual(6);
    expect(await orm.em.fork().count(OutboxEvent, { deliveredAt: null })).toBe(0);
    expect((await orm.em.fork().findOneOrFail(Order, { id: order.id })).payoutsPlannedAt).not.toBeNull();
  });
});

/** What a placed cash-on-delivery checkout leaves for the background: the placed order and its `order.placed`, committed together. */
async function placedOrderAnnounced(em: EntityManager): Promise<Order> {
  const order = await buildOrder(em);
  await em.fork().transactional(async (tx) => {
    recordEvent(tx as EntityManager, { type: 'order.placed', aggregateId: order.id, payload: { orderId: order.id } });
  });
  return order;
}
