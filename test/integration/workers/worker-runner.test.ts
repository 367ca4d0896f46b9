import { composeAppDeps } from '../../../src/composition-root';
import { loadConfig } from '../../../src/config';
import type { EntityManager, Orm } from '../../../src/db/orm';
import { OutboxEvent } from '../../../src/entities';
import type { AppDeps } from '../../../src/services/app-deps';
import { TokenService } from '../../../src/services/auth/tokens';
import { recordEvent } from '../../../src/services/outbox/outbox';
import { allWorkers, WorkerRunner, type Worker } from '../../../src/services/workers';
import { openTestOrm, truncateAll } from '../../support/test-database';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { EventReceiver } from '../outbox/support/event-receiver';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending callbacks and timers due now run once. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const HOUR = 3_600_000;

describe('worker runner', () => {
  let orm: Orm;
  const frozenNow = new Date('2026-03-01T12:00:00.000Z');
  beforeAll(async () => {
    orm = await openTestOrm();
  });
  beforeEach(() => truncateAll(orm));
  afterAll(() => orm.close(true));

  const depsWith = (env: Record<string, string> = {}): AppDeps =>
    composeAppDeps(loadConfig({ WORKERS: 'off', ...env }), orm, new TokenService(TEST_AUTH_SECRET), { clock: { now: () => frozenNow } });

  it('when every worker runs once, then each gets its own fork and the clock time, and reports its count', async () => {
    const seen: { em: EntityManager; now: Date }[] = [];
    const runner = new WorkerRunner(depsWith());
    runner.register({ name: 'a', intervalMs: HOUR, runOnce: async (em, now) => (seen.push({ em, now }), 3) });
    runner.register({ name: 'b', intervalMs: HOUR, runOnce: async (em, now) => (seen.push({ em, now }), 0) });

    expect(await runner.runAllOnce()).toEqual({ a: 3, b: 0 });
    expect(seen.map((s) => s.now)).toEqual([frozenNow, frozenNow]);
    expect(seen[0].em).not.toBe(seen[1].em);
    expect(seen[0].em).not.toBe(orm.em);
  });

  it('when a worker throws, then the failure is contained and the other workers still run', async () => {
    const runner = new WorkerRunner(depsWith());
    runner.register({
      name: 'broken',
      intervalMs: HOUR,
      runOnce: async () => {
        throw new Error('poison row');
      },
    });
    runner.register({ name: 'healthy', intervalMs: HOUR, runOnce: async () => 2 });

    await expect(runner.runAllOnce()).resolves.toEqual({ broken: 0, healthy: 2 });
  });

  it('when a tick is still running, then the same worker is not started again until it ends', async () => {
    const release = deferred<number>();
    const started = deferred<void>();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const worker: Worker = {
      name: 'slow',
      intervalMs: HOUR,
      async runOnce() {
        calls += 1;
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        started.resolve();
        const handled = calls === 1 ? await release.promise : 0;
        running -= 1;
        return handled;
      },
    };
    const runner = new WorkerRunner(depsWith());
    runner.register(worker);
    runner.start();
    await started.promise;

    const manual = runner.runAllOnce();
    await settle();
    expect(calls).toBe(1);
    release.resolve(0);
    await manual;
    await runner.stop();

    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('when stop is called mid-tick, then it resolves only after the tick finishes and nothing runs afterwards', async () => {
    const release = deferred<number>();
    const started = deferred<void>();
    let calls = 0;
    const runner = new WorkerRunner(depsWith());
    runner.register({
      name: 'busy',
      intervalMs: 1,
      runOnce: async () => {
        calls += 1;
        started.resolve();
        return release.promise;
      },
    });
    runner.start();
    await started.promise;

    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release.resolve(5);
    await stopping;
    await settle();

    expect(stopped).toBe(true);
    expect(calls).toBe(1);
  });

  /** A worker with an hour-long interval drains a backlog: only immediate re-runs after a busy round can get through it. */
  async function expectBacklogDrainedAtOnce(due?: () => { sql: string; params: unknown[] }) {
    const drained = deferred<void>();
    const backlog = [3, 2, 1, 0];
    const runner = new WorkerRunner(depsWith());
    runner.register({
      name: 'backlog',
      intervalMs: HOUR,
      ...(due ? { due } : {}),
      async runOnce() {
        const handled = backlog.shift() ?? 0;
        if (handled === 0) drained.resolve();
        return handled;
      },
    });
    runner.start();
    await drained.promise;
    await runner.stop();
    expect(backlog).toEqual([]);
  }

  it('when a tick handled items, then the next tick follows at once instead of after the interval', () => expectBacklogDrainedAtOnce());

  it('when the same worker name is registered twice, then registration refuses it', () => {
    const runner = new WorkerRunner(depsWith());
    runner.register({ name: 'dup', intervalMs: 10, runOnce: async () => 0 });
    expect(() => runner.register({ name: 'dup', intervalMs: 10, runOnce: async () => 0 })).toThrow('already registered');
  });

  describe('workers with a due check', () => {
    const always = () => ({ sql: '1 = 1', params: [] });
    const never = () => ({ sql: '1 = 0', params: [] });

    it('when a check says no, then its worker does not run; when it says yes, it runs with the clock time', async () => {
      const ran: string[] = [];
      const runner = new WorkerRunner(depsWith());
      runner.register({ name: 'idle', intervalMs: HOUR, due: never, runOnce: async () => (ran.push('idle'), 1) });
      runner.register({ name: 'busy', intervalMs: HOUR, due: always, runOnce: async (_em, now) => (ran.push(`busy@${now.toISOString()}`), 2) });

      expect(await runner.runDueOnce()).toEqual({ busy: 2 });
      expect(ran).toEqual([`busy@${frozenNow.toISOString()}`]);
    });

    it('when a round found nothing, then the worker rests for its interval instead of being asked every tick', async () => {
      let calls = 0;
      const runner = new WorkerRunner(depsWith());
      runner.register({ name: 'stubborn', intervalMs: HOUR, due: always, runOnce: async () => ((calls += 1), 0) });

      await runner.runDueOnce();
      const second = await runner.runDueOnce();

      expect(second).toEqual({});
      expect(calls).toBe(1);
    });

    it('when a round handled items, then the next tick follows at once instead of after the interval', () => expectBacklogDrainedAtOnce(always));

    it('when the due check itself fails, then nothing runs and the failure is contained', async () => {
      const runner = new WorkerRunner(depsWith());
      runner.register({
        name: 'broken-check',
        intervalMs: HOUR,
        due: () => ({ sql: 'exists (select 1 from no_such_table)', params: [] }),
        runOnce: async () => 1,
      });

      await expect(runner.runDueOnce()).resolves.toEqual({});
    });
  });

  it('when allWorkers runs, then the outbox relay publishes committed events to the configured sink', async () => {
    const receiver = await new EventReceiver().start();
    try {
      const deps = depsWith({ OUTBOX_HTTP_SINK_URLS: receiver.url });
      const event = await orm.em
        .fork()
        .transactional(async (tx) => recordEvent(tx as EntityManager, { type: 'order.placed', aggregateId: 'o-1', payload: { n: 1 } }));
      const runner = new WorkerRunner({ ...deps, clock: { now: () => new Date() } });
      for (const worker of allWorkers(deps)) runner.register(worker);

      const handled = await runner.runAllOnce();

      expect(runner.workerNames).toContain('outbox-relay');
      expect(handled['outbox-relay']).toBe(1);
      expect(receiver.ids()).toEqual([event.id]);
      expect((await orm.em.fork().findOneOrFail(OutboxEvent, { id: event.id })).deliveredAt).not.toBeNull();
    } finally {
      await receiver.close();
    }
  });
});
