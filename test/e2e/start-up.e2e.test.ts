import { spawn } from 'node:child_process';
import { freePort } from '../../tools/postgres-cluster';
import { exitOf, outputOf } from '../support/child-output';
import { buildIntoScratch, ROOT, type ScratchBuild } from '../support/scratch-build';
import { openTestOrm, testDatabaseConfig, testDialect, truncateAll } from '../support/test-database';

const ONE_TIME_PASSWORD = /one-time dev password: (\S+)/;

async function post(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL answer from the started process; the test walks it untyped
  return (await response.json()) as { data: any; errors?: unknown[] };
}

/**
 * What a new user does: `npm start` with nothing configured (the built
 * dist/src/main.js), read the banner, open the playground, log in as the admin
 * with the printed password, browse the demo catalog, stop the server.
 */
describe('npm start on a fresh data directory', () => {
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

  it('when no admin password is configured, then a one-time password is printed, works once the server is ready, and demo data is there', async () => {
    const port = await freePort();
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: `${build.dir}/data`, WORKERS: 'off' };
    if (testDialect() === 'postgresql') {
      const orm = await openTestOrm(); // an empty database, as on a fresh deployment
      await orm.close(true);
      // With DATABASE_URL the demo catalog is only seeded when asked for explicitly.
      Object.assign(env, { DATABASE_URL: (await testDatabaseConfig()).url, AUTH_SECRET: 'start-up-test-secret-of-at-least-32-chars', DEMO_DATA: 'on' });
    }
    const child = spawn(process.execPath, [build.entry('src/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = outputOf(child);
    const exited = exitOf(child);
    try {
      await output.waitFor('Playground');
      const url = `http://localhost:${port}`;
      expect(output.text()).toContain(`GraphQL API   ${url}/graphql`);
      const password = ONE_TIME_PASSWORD.exec(output.text())?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);

      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const playground = await fetch(`${url}/playground`);
      expect(playground.status).toBe(200);
      expect(await playground.text()).not.toMatch(/https?:\/\/(unpkg|cdn|esm\.sh)/);

      const logIn = await post(url, `mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token customer { role } } } }`, {
        input: { email: 'admin@tillgate.local', password },
      });
      expect(logIn.data.logIn.customer.role).toBe('ADMIN');
      const wrong = await post(url, `mutation { logIn(input: { email: "admin@tillgate.local", password: "admin-password-guess" }) { __typename } }`);
      expect(wrong.data.logIn.__typename).toBe('UserError');

      const catalog = await post(url, `{ products(first: 50) { nodes { name variants { sku available price { amount currency } } } } }`);
      const skus = catalog.data.products.nodes.flatMap((p: { variants: { sku: string }[] }) => p.variants.map((v) => v.sku));
      expect(skus).toEqual(expect.arrayContaining(['TOTE-NATURAL', 'PRINT-LTD']));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
