import { metricMoves } from '../../support/metrics-text';
import type { TestApp } from '../../support/test-app';
import { freshAddress, gqlAs, LOG_IN, postAs, refusalOf, SIGN_UP, startLimitedApp, uniqueEmail, wallClock } from './rate-limit-harness';

const PASSWORD = 'correct-horse-battery';
const FIFTEEN_MINUTES_S = 15 * 60;

/**
 * The password hash runs in node:crypto's scrypt (src/services/auth/passwords.ts).
 * The spy calls straight through: every hash still runs, and is counted.
 */
function countHashes(): { count(): number; stop(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the spy must patch the module object passwords.ts calls; an import namespace is a copy under the CommonJS interop
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const spy = jest.spyOn(crypto, 'scrypt');
  return { count: () => spy.mock.calls.length, stop: () => spy.mockRestore() };
}

async function signedUp(app: TestApp): Promise<string> {
  const email = uniqueEmail('victim');
  const answer = await gqlAs(app, freshAddress(), SIGN_UP, { input: { email, password: PASSWORD } });
  expect(answer.body.data?.signUp.__typename).toBe('AuthPayload');
  return email;
}

const logIn = (app: TestApp, from: string, email: string, password: string) => gqlAs(app, from, LOG_IN, { input: { email, password } });

async function failTimes(app: TestApp, email: string, times: number): Promise<void> {
  const from = freshAddress();
  for (let attempt = 1; attempt <= times; attempt += 1) {
    const answer = await logIn(app, from, email, `wrong-guess-${attempt}`);
    expect(answer.body.data?.logIn).toEqual({ __typename: 'UserError', errorCode: 'INVALID_CREDENTIALS' });
  }
}

describe('logIn rate limits: per email', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp();
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  it('when an email has failed 10 times, then the next logIn is refused with 429, RATE_LIMITED and retryAfter, even with the right password and from elsewhere', async () => {
    const email = await signedUp(app);
    await failTimes(app, email, 10);

    let refused!: Awaited<ReturnType<typeof logIn>>;
    const counted = await metricMoves(app, 'rate_limited_total', async () => {
      refused = await logIn(app, freshAddress(), email, PASSWORD);
    });
    expect(counted).toEqual({ '{limit="login-email"}': 1 });
    expect(refused.status).toBe(429);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors).toHaveLength(1);
    const [error] = refused.body.errors!;
    // Only the code and the wait: nothing about which limit or key refused it.
    expect(Object.keys(error.extensions!).sort()).toEqual(['code', 'retryAfter']);
    expect(error.extensions!.code).toBe('RATE_LIMITED');
    expect(error.extensions!.retryAfter).toBeGreaterThan(FIFTEEN_MINUTES_S - 60);
    expect(error.extensions!.retryAfter).toBeLessThanOrEqual(FIFTEEN_MINUTES_S);
    expect(refused.retryAfter).toBe(String(error.extensions!.retryAfter));
    expect(error.message).not.toMatch(/email|login|key|limit/i);
  });

  it('when logIns succeed between failures, then only the failures count', async () => {
    const email = await signedUp(app);
    const from = freshAddress();
    await failTimes(app, email, 9);
    for (let i = 0; i < 5; i += 1) expect((await logIn(app, from, email, PASSWORD)).body.data?.logIn.__typename).toBe('AuthPayload');
    // The tenth failure is still answered; only then is the email locked.
    expect((await logIn(app, from, email, 'wrong-again')).body.data?.logIn.errorCode).toBe('INVALID_CREDENTIALS');
    expect(refusalOf((await logIn(app, from, email, PASSWORD)).body)).not.toBeNull();
  });

  it('when one request holds 20 batched operations of 50 aliased logIns for one email, then it is refused before password hash number 11', async () => {
    const email = await signedUp(app);
    const hashes = countHashes();
    try {
      const before = hashes.count();
      const answer = await postAs(app, freshAddress(), guessingBatch(email));
      expect(hashes.count() - before).toBeLessThan(11);
      // Whichever guard answers first (the request cost budget or the rate limit), nothing is let through.
      expect([400, 429]).toContain(answer.status);
      expect(JSON.stringify(answer.body)).not.toContain('AuthPayload');
    } finally {
      hashes.stop();
    }
  });
});

/** Windows of seconds here, so that the clock can be moved past one (see wallClock). */
describe('logIn rate limits: the lockout ends, then the next one lasts twice as long', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_LOGIN_EMAIL: '3/20s' });
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  it('when the lockout has passed, then the email logs in again; and its next lockout lasts twice as long', async () => {
    wallClock.freeze();
    const email = await signedUp(app);
    await failTimes(app, email, 3);
    const first = refusalOf((await logIn(app, freshAddress(), email, PASSWORD)).body);
    expect(first!.retryAfter).toBeGreaterThan(15);
    expect(first!.retryAfter).toBeLessThanOrEqual(20);

    wallClock.advance(21_000);
    expect((await logIn(app, freshAddress(), email, PASSWORD)).body.data?.logIn.__typename).toBe('AuthPayload');

    await failTimes(app, email, 3);
    const second = refusalOf((await logIn(app, freshAddress(), email, PASSWORD)).body);
    expect(second!.retryAfter).toBeGreaterThan(35);
    expect(second!.retryAfter).toBeLessThanOrEqual(40);
    wallClock.advance(21_000);
    expect(refusalOf((await logIn(app, freshAddress(), email, PASSWORD)).body)).not.toBeNull();
  });
});

/** 20 batched operations of 50 aliased logIns for one email: a thousand password guesses in one HTTP request. */
function guessingBatch(email: string): unknown[] {
  const aliases = Array.from({ length: 50 }, (_, i) => `g${i}: logIn(input: { email: $email, password: "guess-${i}" }) { __typename }`);
  return Array(20).fill({ query: `mutation Guess($email: String!) { ${aliases.join(' ')} }`, variables: { email } });
}

/**
 * The request cost budget (MAX_QUERY_COST) weighs a password check heavily and
 * refuses a request of many logIns whole, before the rate limit sees it. Raised
 * here, so that the rate limit alone stands between the request and the hashes:
 * every alias and every batched operation must count as an attempt of its own.
 */
describe('logIn rate limits: aliases and batches count one by one', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ MAX_QUERY_COST: '1000000000' });
  });
  afterAll(() => app.close());

  it('when the cost budget lets the 20 x 50 logIn request through, then the rate limit refuses it (429, RATE_LIMITED on every operation) after 10 hashes', async () => {
    const email = await signedUp(app);
    const hashes = countHashes();
    try {
      // The counter sees real hashes: one logIn, one hash.
      await logIn(app, freshAddress(), uniqueEmail('control'), 'some-password');
      expect(hashes.count()).toBe(1);

      const before = hashes.count();
      const answer = await postAs<{ data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }[]>(app, freshAddress(), guessingBatch(email));
      // The email's ten failures are spent, and not one hash more.
      expect(hashes.count() - before).toBe(10);
      expect(answer.status).toBe(429);
      expect(answer.body).toHaveLength(20);
      for (const result of answer.body) {
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
      }
      expect(Number(answer.retryAfter)).toBeGreaterThan(FIFTEEN_MINUTES_S - 60);
    } finally {
      hashes.stop();
    }
  });
});

describe('logIn rate limits: per IP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_LOGIN_IP: '3/20s' });
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  it('when one address has failed 3 times over different emails, then it is refused for any email until the window passes; other addresses are not', async () => {
    wallClock.freeze();
    const email = await signedUp(app);
    const from = freshAddress();
    for (let i = 0; i < 3; i += 1) {
      expect((await logIn(app, from, uniqueEmail('unknown'), 'guess')).body.data?.logIn.errorCode).toBe('INVALID_CREDENTIALS');
    }
    const refused = await logIn(app, from, email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)!.retryAfter).toBeLessThanOrEqual(20);
    expect((await logIn(app, freshAddress(), email, PASSWORD)).body.data?.logIn.__typename).toBe('AuthPayload');

    wallClock.advance(21_000);
    expect((await logIn(app, from, email, PASSWORD)).body.data?.logIn.__typename).toBe('AuthPayload');
  });
});
