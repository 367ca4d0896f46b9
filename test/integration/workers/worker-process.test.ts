import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager, Orm } from '../../../src/db/orm';
import { migrate, openOrm } from '../../../src/db/orm';
import { recordEvent } from '../../../src/services/outbox/outbox';
import { exitOf, outputOf } from '../../support/child-output';
import { buildIntoScratch, ROOT, type ScratchBuild } from '../../support/scratch-build';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { openTestOrm, testDatabaseConfig, testDialect } from '../../support/test-database';
import { EventReceiver } from '../outbox/support/event-receiver';

describe('npm run worker (the worker process)', () => {
  let build: ScratchBuild;
  let receiver: EventReceiver;
  beforeAll(() => {
    build = buildIntoScratch('worker-process');
  });
  beforeEach(async () => {
    receiver = await new EventReceiver().start();
  });
  afterEach(() => receiver.close());
  afterAll(() => build.remove());

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
      env.DATA_DIR = join(build.dir, 'data');
      mkdirSync(env.DATA_DIR, { recursive: true });
      orm = await openOrm({ dialect: 'libsql', url: join(env.DATA_DIR, 'tillgate.db') });
      await migrate(orm);
    }
    try {
      const event = await orm.em
        .fork()
        .transactional(async (tx) => recordEvent(tx as EntityManager, { type: 'order.placed', aggregateId: 'order-from-gateway', payload: { total: 4_200 } }));

      const child = spawn(process.execPath, [build.entry('src/worker.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
