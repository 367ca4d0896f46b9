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

async function failTimes(app: TestApp, email: string, times: number, from = freshAddress()): Promise<void> {
  for (let attempt = 1; attempt <= times; attempt += 1) {
    const answer = await logIn(app, from, email, `wrong-guess-${attempt}`);
    expect(answer.body.data?.logIn).toEqual({ __typename: 'UserError', errorCode: 'INVALID_CREDENTIALS' });
  }
}

const signedIn = (answer: Awaited<ReturnType<typeof logIn>>) => answer.body.data?.logIn.__typename === 'AuthPayload';

describe('logIn rate limits: per email and address', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp();
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  it('when an email has failed 10 times from one address, then the next logIn from there is refused with 429, RATE_LIMITED and retryAfter, even with the right password', async () => {
    const email = await signedUp(app);
    const from = freshAddress();
    await failTimes(app, email, 10, from);

    let refused!: Awaited<ReturnType<typeof logIn>>;
    const counted = await metricMoves(app, 'rate_limited_total', async () => {
      refused = await logIn(app, from, email, PASSWORD);
    });
    expect(counted).toEqual({ '{limit="login-email-ip"}': 1 });
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

  it('when a stranger has failed 10 times from address A, then A is locked out of that email, and its owner still logs in from address B', async () => {
    const email = await signedUp(app);
    const [strangers, owners] = [freshAddress(), freshAddress()];
    await failTimes(app, email, 10, strangers);

    expect(refusalOf((await logIn(app, strangers, email, PASSWORD)).body)).not.toBeNull();
    const owner = await logIn(app, owners, email, PASSWORD);
    expect(owner.status).toBe(200);
    expect(signedIn(owner)).toBe(true);
    // The stranger's address stays locked for that email after the owner's success elsewhere.
    expect(refusalOf((await logIn(app, strangers, email, PASSWORD)).body)).not.toBeNull();
  });

  it("when the owner logs in between failures from one address, then that address's earlier failures no longer count towards its lockout", async () => {
    const email = await signedUp(app);
    const from = freshAddress();
    await failTimes(app, email, 9, from);
    expect(signedIn(await logIn(app, from, email, PASSWORD))).toBe(true);

    // Ten more failures are answered, the last one locks; without the success the tenth failure overall would have.
    await failTimes(app, email, 10, from);
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
    app = await startLimitedApp({ RATE_LIMIT_LOGIN_EMAIL_IP: '3/20s' });
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  it('when the lockout has passed, then the address may try again; and its next lockout lasts twice as long', async () => {
    wallClock.freeze();
    const email = await signedUp(app);
    const from = freshAddress();
    await failTimes(app, email, 3, from);
    const first = refusalOf((await logIn(app, from, email, PASSWORD)).body);
    expect(first!.retryAfter).toBeGreaterThan(15);
    expect(first!.retryAfter).toBeLessThanOrEqual(20);

    wallClock.advance(21_000);
    await failTimes(app, email, 3, from);
    const second = refusalOf((await logIn(app, from, email, PASSWORD)).body);
    expect(second!.retryAfter).toBeGreaterThan(35);
    expect(second!.retryAfter).toBeLessThanOrEqual(40);
    wallClock.advance(21_000);
    expect(refusalOf((await logIn(app, from, email, PASSWORD)).body)).not.toBeNull();
  });

  it("when the owner logs in once a lockout has passed, then the next lockout at that address is back to the window's length", async () => {
    wallClock.freeze();
    const email = await signedUp(app);
    const from = freshAddress();
    await failTimes(app, email, 3, from);
    wallClock.advance(21_000);
    expect(signedIn(await logIn(app, from, email, PASSWORD))).toBe(true);

    await failTimes(app, email, 3, from);
    const next = refusalOf((await logIn(app, from, email, PASSWORD)).body);
    expect(next!.retryAfter).toBeGreaterThan(15);
    expect(next!.retryAfter).toBeLessThanOrEqual(20);
  });
});

/**
 * A guess spread over many addresses, each below the lockout: the per-email
 * ceiling stops it, for every address but those the email has logged in from.
 */
describe('logIn rate limits: the per-email ceiling', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_LOGIN_EMAIL_IP: '3/15m', RATE_LIMIT_LOGIN_EMAIL: '6/1h' });
  });
  afterAll(() => app.close());

  it('when strangers at several addresses have spent the ceiling, then a new address is refused even with the right password, and an address the owner logged in from is not', async () => {
    const email = await signedUp(app);
    const home = freshAddress();
    expect(signedIn(await logIn(app, home, email, PASSWORD))).toBe(true);
    await failTimes(app, email, 3);
    await failTimes(app, email, 3);

    let refused!: Awaited<ReturnType<typeof logIn>>;
    const counted = await metricMoves(app, 'rate_limited_total', async () => {
      refused = await logIn(app, freshAddress(), email, PASSWORD);
    });
    expect(counted).toEqual({ '{limit="login-email"}': 1 });
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)!.retryAfter).toBeGreaterThan(59 * 60);
    expect(signedIn(await logIn(app, home, email, PASSWORD))).toBe(true);
  });

  it("when the owner's address fails too, then its failures meet its own lockout, not the ceiling", async () => {
    const email = await signedUp(app);
    const home = freshAddress();
    expect(signedIn(await logIn(app, home, email, PASSWORD))).toBe(true);
    await failTimes(app, email, 3);
    await failTimes(app, email, 3);

    // Known, so past the ceiling; a typo there is answered, and three of them lock that pair as anywhere else.
    await failTimes(app, email, 3, home);
    expect(refusalOf((await logIn(app, home, email, PASSWORD)).body)).not.toBeNull();
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

  it("when a guesser logs into an account of their own between guesses, then the address's failures still count", async () => {
    const own = await signedUp(app);
    const from = freshAddress();
    await failTimes(app, uniqueEmail('someone-else'), 2, from);
    expect(signedIn(await logIn(app, from, own, PASSWORD))).toBe(true);
    await failTimes(app, uniqueEmail('someone-else'), 1, from);

    expect(refusalOf((await logIn(app, from, own, PASSWORD)).body)).not.toBeNull();
  });
});
