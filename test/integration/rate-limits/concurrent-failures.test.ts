import { Agent, request } from 'node:http';
import { isPostgres, RATE_LIMIT_TABLE } from '../../../src/db/orm';
import type { TestApp } from '../../support/test-app';
import { testDialect } from '../../support/test-database';
import { freshAddress, gqlAs, LOG_IN, refusalOf, SIGN_UP, startLimitedApp, uniqueEmail } from './rate-limit-harness';

const PASSWORD = 'correct-horse-battery';
const FAILURES = 50;
const CONNECTIONS = 16;
/**
 * On PostgreSQL two gateways (each its own pool and counters, only the
 * database joins them), 8 HTTP and 8 database connections each. The embedded
 * libSQL file serves one process, whose counters are in its memory: one gateway there.
 */
const GATEWAYS = testDialect() === 'postgresql' ? 2 : 1;
const CONNECTIONS_EACH = CONNECTIONS / GATEWAYS;

interface Answer {
  status: number;
  body: { data?: { logIn?: { __typename: string; errorCode?: string } } | null; errors?: { extensions?: { code?: string } }[] };
}

/** POST /graphql over the agent's kept-alive connections, as a client at `from`. */
function postOver(agent: Agent, app: TestApp, from: string, body: unknown): Promise<Answer> {
  const url = new URL('/graphql', app.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-forwarded-for': from } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * Many gateways counting one email at once: on PostgreSQL (and behind
 * PgBouncer in transaction mode, in the `pgbouncer` project) every count is
 * one statement on whichever connection the pool hands out, so a count must
 * neither fail nor be lost however the connections are shared.
 */
describe('logIn failures counted under concurrency', () => {
  const limits = { RATE_LIMIT_LOGIN_EMAIL_IP: `${FAILURES}/15m` };
  let gateways: TestApp[];
  let agents: Agent[];
  beforeAll(async () => {
    gateways = [];
    for (let i = 0; i < GATEWAYS; i += 1) gateways.push(await startLimitedApp(limits, { poolMax: CONNECTIONS_EACH }));
    agents = gateways.map(() => new Agent({ keepAlive: true, maxSockets: CONNECTIONS_EACH }));
  });
  afterAll(async () => {
    for (const agent of agents) agent.destroy();
    for (const gateway of gateways) await gateway.close();
  });

  it(`when ${FAILURES} failed logIns for one email arrive at once over ${CONNECTIONS} connections, then every one is answered and counted, and the next is RATE_LIMITED`, async () => {
    const email = uniqueEmail('concurrent');
    expect((await gqlAs(gateways[0], freshAddress(), SIGN_UP, { input: { email, password: PASSWORD } })).body.data?.signUp.__typename).toBe('AuthPayload');
    const from = freshAddress();
    const guess = (i: number) => ({ query: LOG_IN, variables: { input: { email, password: `wrong-guess-${i}` } } });

    const answers = await Promise.all(Array.from({ length: FAILURES }, (_, i) => postOver(agents[i % GATEWAYS], gateways[i % GATEWAYS], from, guess(i))));

    // None failed inside (a store fault is a 500 or an INTERNAL_SERVER_ERROR), none was refused early.
    expect(answers.map((answer) => answer.status)).toEqual(Array(FAILURES).fill(200));
    expect(answers.map((answer) => answer.body.data?.logIn?.errorCode ?? answer.body.errors?.[0]?.extensions?.code)).toEqual(
      Array(FAILURES).fill('INVALID_CREDENTIALS'),
    );
    // Had one count been lost, this attempt would take the last point and log in.
    const next = await postOver(agents[GATEWAYS - 1], gateways[GATEWAYS - 1], from, { query: LOG_IN, variables: { input: { email, password: PASSWORD } } });
    expect(next.status).toBe(429);
    expect(refusalOf(next.body as Parameters<typeof refusalOf>[0])).not.toBeNull();
    if (isPostgres(gateways[0].orm.em)) {
      // The address's own count holds every failure once (the refused attempt gave its point back).
      const rows = await gateways[0].orm.em
        .fork()
        .getConnection()
        .execute<{ points: number }[]>(`select points from ${RATE_LIMIT_TABLE} where key = ?`, [`login-ip:ip:${from}`]);
      expect(rows.map((row) => Number(row.points))).toEqual([FAILURES]);
    }
  });
});
