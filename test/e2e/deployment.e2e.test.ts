import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { freePort } from '../../tools/postgres-cluster';
import { exitOf, outputOf, runToEnd } from '../support/child-output';
import { samplesOf } from '../support/metrics-text';
import { buildIntoScratch, ROOT, type ScratchBuild } from '../support/scratch-build';
import { openTestOrm, testDatabaseConfig, testDialect, truncateAll } from '../support/test-database';

const FINISHED = /"event":"migrate\.finished".*?"applied":(\d+)/;

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.TILLGATE_TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What a deployment runs besides the gateway: `npm run migrate` and `npm run worker`. */
describe('deployment processes', () => {
  let build: ScratchBuild;
  beforeAll(() => {
    build = buildIntoScratch('deployment');
  });
  afterAll(() => build.remove());

  if (testDialect() === 'postgresql') {
    it('when three migrate processes start together on an empty PostgreSQL database, then one applies every migration and the others find nothing to do', async () => {
      const name = `tillgate_migrate_${process.env.JEST_WORKER_ID ?? '0'}`;
      await adminQuery(`drop database if exists ${name}`);
      await adminQuery(`create database ${name}`);
      const url = process.env.TILLGATE_TEST_PG_URL!.replace(/\/postgres$/, `/${name}`);
      try {
        const env = { DATABASE_URL: url, AUTH_SECRET: 'deployment-test-secret-of-at-least-32-chars' };
        const runs = await Promise.all([1, 2, 3].map(() => runToEnd(build.entry('src/migrate.js'), { LOG_LEVEL: 'info', ...env })));

        expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
        const applied = runs.map((run) => Number(FINISHED.exec(run.output)?.[1]));
        const { migrationsList } = await import('../../src/db/migrations/postgresql').then((m) => ({ migrationsList: m.postgresqlMigrations }));
        expect(applied.sort()).toEqual([0, 0, migrationsList.length]);
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query('select name from mikro_orm_migrations');
          expect(rows).toHaveLength(migrationsList.length);
        } finally {
          await client.end();
        }
      } finally {
        await adminQuery(`drop database if exists ${name}`);
      }
    });
  } else {
    it('when migrate runs twice on the embedded file, then the first applies every migration and the second none', async () => {
      const env = { DATA_DIR: `${build.dir}/migrate-data` };
      const first = await runToEnd(build.entry('src/migrate.js'), { LOG_LEVEL: 'info', ...env });
      const second = await runToEnd(build.entry('src/migrate.js'), { LOG_LEVEL: 'info', ...env });
      expect([first.code, second.code]).toEqual([0, 0]);
      expect(Number(FINISHED.exec(first.output)?.[1])).toBeGreaterThan(0);
      expect(Number(FINISHED.exec(second.output)?.[1])).toBe(0);
    });
  }

  it('when the worker process runs, then WORKER_PORT serves /healthz, /readyz and /metrics with the refreshed database gauges, and SIGTERM stops it cleanly', async () => {
    const port = await freePort();
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', WORKER_PORT: String(port), DATA_DIR: `${build.dir}/worker-data` };
    if (testDialect() === 'postgresql') {
      // The worker database of this Jest worker is migrated already; the worker process does not migrate it (MIGRATE_ON_START defaults to off).
      // Emptied first: events an earlier test file left undelivered would show as outbox lag until the worker's relay catches up.
      const orm = await openTestOrm();
      await truncateAll(orm);
      await orm.close(true);
      Object.assign(env, { DATABASE_URL: (await testDatabaseConfig()).url, AUTH_SECRET: 'deployment-test-secret-of-at-least-32-chars' });
    }
    const child = spawn(process.execPath, [build.entry('src/worker.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = outputOf(child);
    const exited = exitOf(child);
    try {
      // A worker that dies at start fails the test at once instead of at the timeout.
      await Promise.race([output.waitFor('"event":"worker.started"'), exited.then(() => Promise.reject(new Error(`worker exited: ${output.text()}`)))]);
      const url = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready', database: testDialect() });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(samplesOf(metrics, 'ops_gauges_refreshed_timestamp_seconds').get('')).toBeGreaterThan(0);
      expect(samplesOf(metrics, 'outbox_lag_seconds').get('')).toBe(0);
      expect(samplesOf(metrics, 'sagas').get('{status="STUCK"}')).toBe(0);
      expect(metrics).toMatch(/^process_resident_memory_bytes \d/m);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output.text()).toContain('"event":"worker.stopped"');
  });
});
