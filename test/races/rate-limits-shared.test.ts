import { request } from 'node:http';
import { openOrm, RATE_LIMIT_TABLE } from '../../src/db/orm';
import { freePort } from '../../tools/postgres-cluster';
import { exitOf, outputOf } from '../support/child-output';
import { spawnBuiltGateway } from '../support/built-gateway';
import { buildIntoScratch, type ScratchBuild } from '../support/scratch-build';
import type { TestApp } from '../support/test-app';
import { testDatabaseConfig } from '../support/test-database';
import { CREATE_CART, freshAddress, LOG_IN, postAs, refusalOf, SIGN_UP, startLimitedApp, uniqueEmail } from '../integration/rate-limits/rate-limit-harness';

/*
 * On PostgreSQL every gateway process counts in one table (this folder runs on
 * PostgreSQL only); the embedded default serves one process, counting in memory.
 */

async function countsFor(app: TestApp, keyPart: string): Promise<number[]> {
  const rows = await app.orm.em
    .fork()
    .getConnection()
    .execute<{ points: number }[]>(`select points from ${RATE_LIMIT_TABLE} where key like ? order by key`, [`%${keyPart}%`]);
  return rows.map((row) => Number(row.points));
}

describe('rate limits shared by gateways on one PostgreSQL', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // Two gateways, each with its own ORM pool and its own limiter objects: only the database joins them.
    first = await startLimitedApp({ RATE_LIMIT_LOGIN_EMAIL: '4/15m' });
    second = await startLimitedApp({ RATE_LIMIT_LOGIN_EMAIL: '4/15m' });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('when an email fails twice on each of two gateways, then both refuse it next', async () => {
    const email = uniqueEmail('shared');
    await postAs(first, freshAddress(), { query: SIGN_UP, variables: { input: { email, password: 'correct-horse-battery' } } });
    const guess = (app: TestApp, password: string) => postAs(app, freshAddress(), { query: LOG_IN, variables: { input: { email, password } } });

    for (const app of [first, second, first, second]) expect((await guess(app, 'wrong-guess')).body.data.logIn.errorCode).toBe('INVALID_CREDENTIALS');
    const [onFirst, onSecond] = [await guess(first, 'correct-horse-battery'), await guess(second, 'correct-horse-battery')];
    expect(onFirst.status).toBe(429);
    expect(onSecond.status).toBe(429);
    expect(refusalOf(onSecond.body)!.retryAfter).toBeGreaterThan(14 * 60);
  });

  it('when one address creates carts through both gateways, then one count in the table holds them all', async () => {
    const from = freshAddress();
    for (const app of [first, second, first])
      expect((await postAs(app, from, { query: CREATE_CART, variables: { input: { currency: 'EUR' } } })).status).toBe(200);
    expect(await countsFor(first, `carts-ip:ip:${from}`)).toEqual([3]);
  });
});

describe('requests per address shared by gateways on one PostgreSQL', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startLimitedApp({ RATE_LIMIT_GRAPHQL_IP: '4/1m' });
    second = await startLimitedApp({ RATE_LIMIT_GRAPHQL_IP: '4/1m' });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('when one address sends requests through both gateways, then they count in one row and the fifth is refused wherever it lands', async () => {
    const from = freshAddress();
    const statuses: number[] = [];
    for (const app of [first, second, first, second, second]) statuses.push((await postAs(app, from, { query: '{ __typename }' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(await countsFor(first, `graphql-ip:ip:${from}`)).toEqual([5]);
    // The first gateway has not seen a refusal for this address: it learns it from the shared row.
    expect((await postAs(first, from, { query: '{ __typename }' })).status).toBe(429);
  });
});

/** POST on a connection of its own, so that the cluster's round robin hands it to the next gateway process. */
function postOnNewConnection(port: number, body: unknown, forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('rate limits with GATEWAY_PROCESSES=2 (the built server)', () => {
  let build: ScratchBuild;
  beforeAll(() => {
    build = buildIntoScratch('rate-limits');
  });
  afterAll(() => build.remove());

  it('when one address sends 8 createCarts over fresh connections spread over two processes, then exactly the limit of 4 is served', async () => {
    const port = await freePort();
    const child = spawnBuiltGateway(build, port, {
      GATEWAY_PROCESSES: '2',
      DATABASE_URL: (await testDatabaseConfig()).url,
      AUTH_SECRET: 'rate-limits-test-secret-0123456789abcdef',
      WORKERS: 'off',
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_CARTS_IP: '4/1h',
    });
    const output = outputOf(child);
    const exited = exitOf(child);
    const from = freshAddress();
    try {
      await output.waitUntil(() => (output.text().match(/"event":"tillgate\.started"/g) ?? []).length === 2);
      const statuses: number[] = [];
      // One after another: the primary deals each new connection to the next process in turn.
      for (let i = 0; i < 8; i += 1) statuses.push(await postOnNewConnection(port, { query: CREATE_CART, variables: { input: { currency: 'EUR' } } }, from));
      expect(statuses.filter((status) => status === 200)).toHaveLength(4);
      expect(statuses.filter((status) => status === 429)).toHaveLength(4);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    // Both processes counted into the one row (memory counters would have left the table without it). Read as it is:
    // a test ORM would start by emptying every table.
    const orm = await openOrm(await testDatabaseConfig());
    try {
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<{ points: number }[]>(`select points from ${RATE_LIMIT_TABLE} where key = ?`, [`carts-ip:ip:${from}`]);
      expect(rows.map((row) => Number(row.points))).toEqual([8]);
    } finally {
      await orm.close(true);
    }
  });
});
