import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { freePort } from '../../tools/postgres-cluster';
import { openOrm, type Orm } from '../../src/db/orm';
import { Customer, Product, Role, Voucher } from '../../src/entities';
import { exitOf, outputOf, runToEnd } from '../support/child-output';
import { buildIntoScratch, ROOT, type ScratchBuild } from '../support/scratch-build';
import { adminQuery, openTestOrm, testDatabaseConfig, testDialect, truncateAll } from '../support/test-database';

const ONE_TIME_PASSWORD = /one-time dev password: (\S+)/;
const AUTH_SECRET = 'start-up-test-secret-of-at-least-32-chars';

async function post(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL answer from the started process; the test walks it untyped
  return (await response.json()) as { data: any; errors?: unknown[] };
}

const logIn = (url: string, email: string, password: string) =>
  post(url, `mutation($input: LogInInput!) { logIn(input: $input) { __typename ... on AuthPayload { customer { role } } } }`, { input: { email, password } });

/** `npm start` (the built dist/src/main.js) with only PATH and `env`; resolves once its banner is out, or fails at once if it exits first. */
async function startGateway(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = outputOf(child);
  const exited = exitOf(child);
  await Promise.race([output.waitFor('Playground'), exited.then(() => Promise.reject(new Error(`gateway exited: ${output.text()}`)))]);
  return {
    output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A fresh deployment's database settings: a new DATA_DIR, or (PostgreSQL) this worker's migrated, emptied database. */
async function freshDatabase(build: ScratchBuild, name: string): Promise<Record<string, string>> {
  if (testDialect() === 'libsql') return { DATA_DIR: `${build.dir}/${name}` };
  const orm = await openTestOrm(); // emptied, as on a fresh deployment
  await orm.close(true);
  return { DATABASE_URL: (await testDatabaseConfig()).url, AUTH_SECRET };
}

/** An ORM on the database a started process uses, to look at what it wrote (nothing is emptied). */
const openDatabaseOf = async (env: Record<string, string>): Promise<Orm> =>
  openOrm(env.DATABASE_URL ? { dialect: 'postgresql', url: env.DATABASE_URL } : { dialect: 'libsql', url: `${env.DATA_DIR}/tillgate.db` });

describe('start-up', () => {
  let build: ScratchBuild;
  beforeAll(() => {
    build = buildIntoScratch('start-up');
  });
  afterAll(async () => {
    build.remove();
    if (testDialect() === 'postgresql') {
      const orm = await openTestOrm();
      await truncateAll(orm);
      await orm.close(true);
    }
  });

  it('when npm start runs outside production without an admin password, then a one-time password is printed at the first start only, still works after a restart, and demo data is there', async () => {
    const port = await freePort();
    const env: Record<string, string> = { PORT: String(port), WORKERS: 'off', ...(await freshDatabase(build, 'dev-data')) };
    // With DATABASE_URL the demo catalog is only seeded when asked for explicitly.
    if (env.DATABASE_URL) Object.assign(env, { DEMO_DATA: 'on' });
    const url = `http://localhost:${port}`;

    const first = await startGateway(build.entry('src/main.js'), env);
    let password: string | undefined;
    try {
      expect(first.output.text()).toContain(`GraphQL API   ${url}/graphql`);
      password = ONE_TIME_PASSWORD.exec(first.output.text())?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const playground = await fetch(`${url}/playground`);
      expect(playground.status).toBe(200);
      expect(await playground.text()).not.toMatch(/https?:\/\/(unpkg|cdn|esm\.sh)/);
      expect((await logIn(url, 'admin@tillgate.local', password!)).data.logIn.customer.role).toBe('ADMIN');
      expect((await logIn(url, 'admin@tillgate.local', 'admin-password-guess')).data.logIn.__typename).toBe('UserError');
      const catalog = await post(url, `{ products(first: 50) { nodes { name variants { sku available price { amount currency } } } } }`);
      const skus = catalog.data.products.nodes.flatMap((p: { variants: { sku: string }[] }) => p.variants.map((v) => v.sku));
      expect(skus).toEqual(expect.arrayContaining(['TOTE-NATURAL', 'PRINT-LTD']));
    } finally {
      expect(await first.stop()).toEqual({ code: 0, signal: null });
    }

    const second = await startGateway(build.entry('src/main.js'), env);
    try {
      expect(second.output.text()).not.toMatch(/password: /);
      expect(second.output.text()).toContain('admin@tillgate.local (its password was shown at the first start');
      expect((await logIn(url, 'admin@tillgate.local', password!)).data.logIn.customer.role).toBe('ADMIN');
    } finally {
      expect(await second.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it('when NODE_ENV=production is given without DEMO_DATA or ADMIN_PASSWORD, then nothing is seeded, no password is printed and no admin exists; npm run admin creates one from stdin without echoing it', async () => {
    const port = await freePort();
    const env = {
      NODE_ENV: 'production',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      WORKERS: 'off',
      ...(await freshDatabase(build, 'production-data')),
    };
    const url = `http://127.0.0.1:${port}`;
    const gateway = await startGateway(build.entry('src/main.js'), env);
    try {
      const banner = gateway.output.text();
      expect(banner).not.toMatch(/password: /);
      expect(banner).toContain(
        'Admin         none yet: create one with `npm run admin -- --email you@example.com` (reads the password from stdin), or set ADMIN_PASSWORD',
      );
      const orm = await openDatabaseOf(env);
      try {
        const em = orm.em.fork();
        expect([await em.count(Product, {}), await em.count(Voucher, {}), await em.count(Customer, {})]).toEqual([0, 0, 0]);
      } finally {
        await orm.close(true);
      }
      expect((await post(url, '{ products(first: 5) { nodes { name } } }')).data.products.nodes).toEqual([]);

      const password = 'a-production-admin-password';
      const created = await runToEnd(build.entry('src/admin.js'), env, { args: ['--email', 'Ops@Shop.example'], stdin: `${password}\n` });
      expect(created).toMatchObject({ code: 0 });
      expect(created.output.trim()).toBe('Created the admin ops@shop.example.');
      expect(created.output).not.toContain(password);
      // The running gateway sees the new admin at once: roles are read on every request.
      expect((await logIn(url, 'ops@shop.example', password)).data.logIn.customer.role).toBe('ADMIN');
      expect(gateway.output.text()).not.toContain(password);
    } finally {
      expect(await gateway.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it('when NODE_ENV=production is given without METRICS_TOKEN or METRICS_PORT, then the gateway stops at once with one clear line', async () => {
    const run = await runToEnd(build.entry('src/main.js'), {
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      ...(await freshDatabase(build, 'unguarded-data')),
    });
    expect(run.code).toBe(2);
    expect(run.output.trim()).toBe(
      'Configuration error: NODE_ENV=production needs METRICS_TOKEN or METRICS_PORT: /metrics would be open to anyone who reaches PORT',
    );
  });

  it('when MIGRATE_ON_START is off and the schema was never migrated, then npm start and npm run worker exit with one line naming npm run migrate, and create nothing', async () => {
    const name = `tillgate_unmigrated_${process.env.JEST_WORKER_ID ?? '0'}`;
    let env: Record<string, string> = { MIGRATE_ON_START: 'off', DATA_DIR: `${build.dir}/unmigrated-data` };
    if (testDialect() === 'postgresql') {
      await adminQuery(`drop database if exists ${name}`);
      await adminQuery(`create database ${name}`);
      env = { DATABASE_URL: process.env.TILLGATE_TEST_PG_URL!.replace(/\/postgres$/, `/${name}`), AUTH_SECRET };
    }
    try {
      const gateway = await runToEnd(build.entry('src/main.js'), { ...env, PORT: String(await freePort()) });
      const worker = await runToEnd(build.entry('src/worker.js'), { ...env, WORKER_PORT: String(await freePort()) });

      const line = /^the database schema is not migrated: run `npm run migrate`, or set MIGRATE_ON_START=on \((\d+) of \1 migrations pending\)$/;
      expect(gateway.code).toBe(1);
      expect(gateway.output.trim().replace(/^Tillgate failed to start: /, '')).toMatch(line);
      expect(worker.code).toBe(1);
      expect(worker.output.trim().replace(/^Tillgate worker failed to start: /, '')).toMatch(line);
      if (testDialect() === 'postgresql') {
        // Detected by reading alone: not even MikroORM's migrations table was created.
        const client = new Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        try {
          expect((await client.query(`select table_name from information_schema.tables where table_schema = 'public'`)).rows).toEqual([]);
        } finally {
          await client.end();
        }
      }
    } finally {
      if (testDialect() === 'postgresql') await adminQuery(`drop database if exists ${name}`);
    }
  });

  it('when MIGRATE_ON_START is off and the schema is migrated, then npm start serves (the check passes)', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      PORT: String(port),
      WORKERS: 'off',
      MIGRATE_ON_START: 'off',
      ADMIN_PASSWORD: 'migrated-admin-password',
      ...(await freshDatabase(build, 'migrated-data')),
    };
    if (env.DATA_DIR) expect((await runToEnd(build.entry('src/migrate.js'), env)).code).toBe(0);
    const gateway = await startGateway(build.entry('src/main.js'), env);
    try {
      expect((await logIn(`http://127.0.0.1:${port}`, 'admin@tillgate.local', 'migrated-admin-password')).data.logIn.customer.role).toBe(Role.ADMIN);
    } finally {
      expect(await gateway.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
