import { captureLogLines } from '../../support/log-capture';
import { startTestApp, type TestApp } from '../../support/test-app';
import { freshAddress, gqlAs, refusalOf, startLimitedApp, wallClock } from './rate-limit-harness';

const TYPENAME = '{ __typename }';

/** POST /graphql as a client at `from` with a raw body, whatever it holds. */
async function postRawAs(app: TestApp, from: string, body: string): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

describe('requests to /graphql per client address (RATE_LIMIT_GRAPHQL_IP)', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A window of seconds, so that the clock can be moved past it (wallClock); the default is 600/1m.
    app = await startLimitedApp({ RATE_LIMIT_GRAPHQL_IP: '3/20s' });
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  it('when one address has sent 3 requests, then the 4th is refused with 429, RATE_LIMITED and Retry-After until the window has passed; other addresses are not', async () => {
    wallClock.freeze();
    const from = freshAddress();
    for (let i = 0; i < 3; i += 1) expect((await gqlAs(app, from, TYPENAME)).body).toEqual({ data: { __typename: 'Query' } });

    const refused = await gqlAs(app, from, TYPENAME);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Too many attempts\. Try again in \d+ seconds\.$/),
          extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
        },
      ],
    });
    expect(refusalOf(refused.body)!.retryAfter).toBeGreaterThan(0);
    expect(refusalOf(refused.body)!.retryAfter).toBeLessThanOrEqual(20);
    expect(refused.retryAfter).toBe(String(refusalOf(refused.body)!.retryAfter));
    expect((await gqlAs(app, freshAddress(), TYPENAME)).status).toBe(200);

    wallClock.advance(21_000);
    expect((await gqlAs(app, from, TYPENAME)).status).toBe(200);
  });

  it('when an address is over its limit, then its request is refused before the body is read: malformed JSON and oversized documents get the 429 too', async () => {
    const from = freshAddress();
    for (let i = 0; i < 3; i += 1) expect((await postRawAs(app, from, '{"query": ')).status).toBe(400);

    expect((await postRawAs(app, from, '{"query": ')).status).toBe(429);
    expect((await postRawAs(app, from, JSON.stringify({ query: `{ me { ${'id '.repeat(90_000)}} }` }))).status).toBe(429);
  });

  it('when a refused address keeps sending, then each refusal is counted in the metrics but logged once', async () => {
    const from = freshAddress();
    for (let i = 0; i < 3; i += 1) await gqlAs(app, from, TYPENAME);
    const lines = await captureLogLines(async () => {
      for (let i = 0; i < 5; i += 1) expect((await gqlAs(app, from, TYPENAME)).status).toBe(429);
    });
    const refusals = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === 'rate_limit.refused');
    expect(refusals).toEqual([expect.objectContaining({ limit: 'graphql-ip', client: from })]);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(Number(/^rate_limited_total\{limit="graphql-ip"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(5);
  });
});

describe('RATE_LIMIT_GRAPHQL_IP switched off', () => {
  it.each([
    ['RATE_LIMITS=off', { RATE_LIMITS: 'off', TRUST_PROXY: 'loopback', RATE_LIMIT_GRAPHQL_IP: '3/20s' }],
    ['RATE_LIMIT_GRAPHQL_IP=off', { RATE_LIMITS: 'on', TRUST_PROXY: 'loopback', RATE_LIMIT_GRAPHQL_IP: 'off' }],
  ])('when %s, then one address is never refused', async (_name, env) => {
    const app = await startTestApp(env);
    try {
      const from = freshAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await gqlAs(app, from, TYPENAME)).status);
      expect(statuses).toEqual(Array(6).fill(200));
    } finally {
      await app.close();
    }
  });
});
