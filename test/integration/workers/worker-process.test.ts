import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager, Orm } from '../../../src/db/orm';
import { migrate, openOrm } from '../../../src/db/orm';
import { recordEvent } from '../../../src/services/outbox/outbox';
import { projectRoot } from '../../../src/project-root';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { openTestOrm, testDatabaseConfig, testDialect } from '../../support/test-database';
import { EventReceiver } from '../outbox/support/event-receiver';

const ROOT = projectRoot();

/** Compiles src the way `npm run build` does, into an ignored scratch folder (.tmp/). */
function buildInto(dir: string): string {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'swc'), ['src', '-d', dir, '--config-file', '.swcrc'], { cwd: ROOT, stdio: 'pipe' });
  return join(dir, 'src', 'worker.js');
}

/** Collects a child's output and resolves when a line contains `text`. */
function outputOf(child: ChildProcess) {
  let text = '';
  const waiters: { needle: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => text.includes(w.needle))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    text: () => text,
    waitFor: (needle: string) => (text.includes(needle) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ needle, resolve }))),
  };
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

describe('npm run worker (the worker process)', () => {
  let scratch: string;
  let workerJs: string;
  let receiver: EventReceiver;
  beforeAll(() => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    scratch = mkdtempSync(join(ROOT, '.tmp', 'worker-process-'));
    workerJs = buildInto(join(scratch, 'build'));
  });
  beforeEach(async () => {
    receiver = await new EventReceiver().start();
  });
  afterEach(() => receiver.close());
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('when started, then it relays committed events without HTTP and exits 0 on SIGTERM', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      AUTH_SECRET: TEST_AUTH_SECRET,
      OUTBOX_HTTP_SINK_URLS: receiver.url,
      WORKER_POLL_INTERVAL: '50ms',
      LOG_LEVEL: 'info',
    };
    let orm: Orm;
    if (testDialect() === 'postgresql') {
      orm = await openTestOrm();
      env.DATABASE_URL = (await testDatabaseConfig()).url;
    } else {
      delete env.DATABASE_URL;
      env.DATA_DIR = join(scratch, 'data');
      mkdirSync(env.DATA_DIR, { recursive: true });
      orm = await openOrm({ dialect: 'libsql', url: join(env.DATA_DIR, 'tillgate.db') });
      await migrate(orm);
    }
    try {
      const event = await orm.em.fork().transactional(async (tx) =>
        recordEvent(tx as EntityManager, { type: 'order.placed', aggregateId: 'order-from-gateway', payload: { total: 4_200 } }));

      const child = spawn(process.execPath, [workerJs], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = outputOf(child);
      const exited = exitOf(child);
      await output.waitFor('"worker.started"');
      await receiver.waitFor(1);
      child.kill('SIGTERM');
      const exit = await exited;

      expect(receiver.received[0]).toMatchObject({ eventId: event.id, body: { type: 'order.placed', payload: { total: 4_200 } } });
      expect(exit).toEqual({ code: 0, signal: null });
      expect(output.text()).toContain('"worker.stopped"');
      expect(output.text()).toContain('"outbox-relay"');
      // No HTTP server in this process.
      expect(output.text()).not.toContain('tillgate.started');
    } finally {
      await orm.close(true);
    }
  });
});
