import type { ChildProcess } from 'node:child_process';
import { ACCESS_LISTENER_NAME } from '../../src/db/access-changes';
import { openOrm } from '../../src/db/orm';
import { freePort } from '../../tools/postgres-cluster';
import { exitOf, outputOf, runToEnd } from '../support/child-output';
import { postGraphQL } from '../support/http-request';
import { metricMoves } from '../support/metrics-text';
import { spawnBuiltGateway } from '../support/built-gateway';
import { buildIntoScratch, type ScratchBuild } from '../support/scratch-build';
import { TEST_ADMIN } from '../support/test-app';
import { openTestOrm, testDatabaseConfig, testDialect, truncateAll } from '../support/test-database';

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { ... on AuthPayload { token customer { id } } } }';
const LOG_IN = 'mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }';
const REVOKE = 'mutation($id: ID!) { revokeTokens(customerId: $id) }';
const ME = 'query { me { id } }';
const LISTENING = '"event":"notifications.listening"';

interface Gateway {
  url: string;
  child: ChildProcess;
  output: ReturnType<typeof outputOf>;
}

/** Polls `check` every 20 ms; answers how long it took to hold, or fails after `withinMs`. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`did not hold within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/**
 * Token checks from each gateway process's memory (issue 22), with real
 * processes: the built server, SQL_STATEMENT_METRICS on so /metrics shows
 * whether a check ran a statement.
 */
describe('revoked tokens across gateway processes', () => {
  // Several real node processes, started one after another: on a loaded 2-core machine that outlasts the default minute.
  jest.setTimeout(180_000);
  let build: ScratchBuild;
  const gateways: Gateway[] = [];
  beforeAll(() => {
    build = buildIntoScratch('token-revocation');
  });
  afterAll(async () => {
    for (const { child } of gateways) child.kill('SIGTERM');
    await Promise.all(gateways.map(({ child }) => (child.exitCode === null ? exitOf(child) : null)));
    build.remove();
  });

  async function startGateway(env: Record<string, string>): Promise<Gateway> {
    const port = await freePort();
    const child = spawnBuiltGateway(build, port, {
      WORKERS: 'off',
      RATE_LIMITS: 'off',
      SQL_STATEMENT_METRICS: 'on',
      ...env,
    });
    const gateway = { url: `http://127.0.0.1:${port}`, child, output: outputOf(child) };
    gateways.push(gateway);
    await gateway.output.waitFor('"event":"tillgate.started"');
    return gateway;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each call's data is shaped by its own query
  const gql = async (gateway: Gateway, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> =>
    (await postGraphQL(gateway, { query, variables }, token ? { authorization: `Bearer ${token}` } : {})).body.data;
  const signUp = async (gateway: Gateway) => {
    const email = `revocation-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const { signUp } = await gql(gateway, SIGN_UP, { input: { email, password: 'correct-horse-battery' } });
    return { id: signUp.customer.id as string, token: signUp.token as string };
  };
  const refuses = async (gateway: Gateway, token: string) => (await gql(gateway, ME, {}, token)).me === null;
  /** The statements one signed-in `{ __typename }` ran in that process: nothing but its token check. */
  const statementsOfCheck = async (gateway: Gateway, token: string) =>
    (await metricMoves(gateway, 'sql_statements_total', () => gql(gateway, '{ __typename }', {}, token)))[''] ?? 0;
  /** The process has read the customer once; now it checks the token from memory. */
  async function heldInMemory(gateway: Gateway, token: string): Promise<void> {
    expect(await refuses(gateway, token)).toBe(false);
    expect(await statementsOfCheck(gateway, token)).toBe(0);
  }

  if (testDialect() === 'postgresql') {
    let a: Gateway;
    let b: Gateway;
    let admin: string;
    beforeAll(async () => {
      const orm = await openTestOrm();
      await truncateAll(orm);
      await orm.close(true);
      // Two processes on two ports, as two machines behind a load balancer would be, sharing the database.
      const env = { DATABASE_URL: (await testDatabaseConfig()).url, AUTH_SECRET: 'token-revocation-test-secret-0123456789' };
      a = await startGateway(env);
      b = await startGateway(env);
      admin = (await gql(a, LOG_IN, { input: TEST_ADMIN })).logIn.token;
    });
    afterAll(async () => {
      const orm = await openTestOrm();
      await truncateAll(orm);
      await orm.close(true);
    });

    it('when a token is revoked through process A, then process B, which checks it from memory, refuses it within a second', async () => {
      const ada = await signUp(a);
      await heldInMemory(b, ada.token);

      expect(await gql(a, REVOKE, { id: ada.id }, admin)).toEqual({ revokeTokens: true });

      expect(await within(1_000, () => refuses(b, ada.token))).toBeLessThan(1_000);
    });

    it('when the listening sessions are cut and a token is revoked meanwhile, then B refuses it, and once B listens again it checks from memory and hears revocations again', async () => {
      const [ada, bob] = [await signUp(a), await signUp(a)];
      await heldInMemory(b, ada.token);
      const listenedBefore = b.output.text().split(LISTENING).length - 1;
      // Not openTestOrm: that empties the database the gateways are using.
      const orm = await openOrm(await testDatabaseConfig());
      try {
        const cut = await orm.em
          .fork()
          .execute<{ ended: boolean }[]>(
            'select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = ? and datname = current_database()',
            [ACCESS_LISTENER_NAME],
          );
        expect(cut).toEqual([{ ended: true }, { ended: true }]);
      } finally {
        await orm.close(true);
      }

      // The notification of this revocation reaches nobody: no session listens.
      expect(await gql(a, REVOKE, { id: ada.id }, admin)).toEqual({ revokeTokens: true });

      expect(await refuses(b, ada.token)).toBe(true);
      await b.output.waitUntil((text) => text.split(LISTENING).length - 1 > listenedBefore);
      expect(await refuses(b, ada.token)).toBe(true);
      await heldInMemory(b, bob.token);
      expect(await gql(a, REVOKE, { id: bob.id }, admin)).toEqual({ revokeTokens: true });
      expect(await within(1_000, () => refuses(b, bob.token))).toBeLessThan(1_000);
    });
  } else {
    it('when npm run admin gives the admin a new password beside a gateway running on the embedded file, then the gateway refuses the earlier token within a second', async () => {
      const env = { DATA_DIR: `${build.dir}/data` };
      const gateway = await startGateway(env);
      const { logIn } = await gql(gateway, LOG_IN, { input: TEST_ADMIN });
      await heldInMemory(gateway, logIn.token);

      const run = await runToEnd(build.entry('src/admin.js'), env, { args: ['--email', TEST_ADMIN.email], stdin: 'a-new-admin-password\n' });
      const ranAt = Date.now();
      await within(1_000, () => refuses(gateway, logIn.token)).catch(() => undefined);
      const refusedAfterMs = Date.now() - ranAt;

      expect(run.code).toBe(0);
      expect(await refuses(gateway, logIn.token)).toBe(true);
      expect(refusedAfterMs).toBeLessThan(1_000);
    });
  }
});
