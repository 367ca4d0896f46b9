import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig, parseDuration } from '../../../src/config';
import { buildIntoScratch, ROOT, type ScratchBuild } from '../../support/scratch-build';

const SECRET = 'a-signing-secret-of-at-least-32-characters';
const POSTGRES = { DATABASE_URL: 'postgres://tillgate@localhost:5432/tillgate', AUTH_SECRET: SECRET };

/** The ConfigError message loadConfig gives for this environment (fails if it accepts it). */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('when the environment is empty, then the embedded defaults apply and the result is frozen', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      database: { dialect: 'libsql', url: './data/tillgate.db' },
      port: 4000,
      publicUrl: 'http://localhost:4000',
      authSecret: null,
      persistedQueries: 'allow',
      maxQueryCost: 10_000,
      maxQueryTokens: 5_000,
      allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
      priceDriftBps: 500,
      priceStaleAfterMs: 600_000,
      reservationTtlMs: 900_000,
      paymentLinkStaleAfterMs: 1_800_000,
      reversalMaxRetries: 5,
      workerPollIntervalMs: 1_000,
      workersInProcess: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when DATABASE_URL is not a postgres URL, then the error says what it must look like', () => {
    expect(refusal({ DATABASE_URL: 'mysql://x' })).toBe('DATABASE_URL must start with postgres:// (got "mysql://...")');
    expect(refusal({ DATABASE_URL: 'localhost:5432/tillgate' })).toBe('DATABASE_URL must start with postgres:// (got "localhost://...")');
    expect(refusal({ DATABASE_URL: 'not a url', AUTH_SECRET: SECRET })).toBe('DATABASE_URL must be a postgres://user:password@host:port/database URL');
    expect(refusal({ DATABASE_URL: 'postgres://localhost', AUTH_SECRET: SECRET })).toMatch(/^DATABASE_URL must name a host and a database/);
  });

  it('when DATABASE_URL is set, then its hot reads are prepared unless DATABASE_PREPARED_STATEMENTS is off', () => {
    expect(loadConfig(POSTGRES).database).toEqual({ dialect: 'postgresql', url: POSTGRES.DATABASE_URL, preparedStatements: true });
    expect(loadConfig({ ...POSTGRES, DATABASE_PREPARED_STATEMENTS: 'off' }).database.preparedStatements).toBe(false);
    expect(refusal({ ...POSTGRES, DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toMatch(/^DATABASE_PREPARED_STATEMENTS/);
  });

  it('when DATABASE_DIRECT_URL is set beside DATABASE_URL, then it is kept as the direct URL; alone, or not a postgres URL, it is refused', () => {
    const direct = 'postgres://tillgate@db.internal:5432/tillgate';
    expect(loadConfig({ ...POSTGRES, DATABASE_DIRECT_URL: ` ${direct} ` }).database).toEqual({
      dialect: 'postgresql',
      url: POSTGRES.DATABASE_URL,
      preparedStatements: true,
      directUrl: direct,
    });
    expect(loadConfig(POSTGRES).database.directUrl).toBeUndefined();
    expect(refusal({ DATABASE_DIRECT_URL: direct })).toBe('DATABASE_DIRECT_URL needs DATABASE_URL: the embedded libSQL file has no server to reach directly');
    expect(refusal({ ...POSTGRES, DATABASE_DIRECT_URL: 'mysql://x' })).toBe('DATABASE_DIRECT_URL must start with postgres:// (got "mysql://...")');
    expect(refusal({ ...POSTGRES, DATABASE_DIRECT_URL: 'postgres://db.internal' })).toMatch(/^DATABASE_DIRECT_URL must name a host and a database/);
  });

  it('when DATABASE_URL is set without a long enough AUTH_SECRET, then the secret is required', () => {
    expect(refusal({ DATABASE_URL: POSTGRES.DATABASE_URL })).toBe('AUTH_SECRET is required with DATABASE_URL (at least 32 characters)');
    expect(refusal({ ...POSTGRES, AUTH_SECRET: 'short' })).toBe('AUTH_SECRET must be at least 32 characters');
    expect(loadConfig(POSTGRES).database).toMatchObject({ dialect: 'postgresql', url: POSTGRES.DATABASE_URL });
  });

  it('when PORT is not a whole number in 0..65535, then it is refused', () => {
    expect(refusal({ PORT: 'abc' })).toBe('PORT must be a whole number (got "abc")');
    expect(refusal({ PORT: '70000' })).toBe('PORT must be between 0 and 65535 (got 70000)');
    expect(refusal({ PORT: '-1' })).toBe('PORT must be a whole number (got "-1")');
    expect(refusal({ PORT: '80.5' })).toBe('PORT must be a whole number (got "80.5")');
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
  });

  it('when a duration lacks its unit or uses another, then it is refused, and 200ms, 3s, 5m and 1h are read exactly', () => {
    expect(refusal({ PRICE_STALE_AFTER: '10' })).toBe('PRICE_STALE_AFTER must be a duration like 200ms, 3s, 5m or 1h (got "10")');
    expect(refusal({ RESERVATION_TTL: '1.5h' })).toMatch(/^RESERVATION_TTL must be a duration/);
    expect(refusal({ WORKER_POLL_INTERVAL: '5 minutes' })).toMatch(/^WORKER_POLL_INTERVAL must be a duration/);
    expect(refusal({ REVERSAL_BACKOFF_MAX: '-1m' })).toMatch(/^REVERSAL_BACKOFF_MAX must be a duration/);
    expect(['200ms', '3s', '5m', '1h'].map((raw) => parseDuration('X', raw))).toEqual([200, 3_000, 300_000, 3_600_000]);
    expect(loadConfig({ RESERVATION_TTL: '2m' }).reservationTtlMs).toBe(120_000);
  });

  it('when PAYOUT_BACKOFF_* are unset, then seller transfers back off like reversals; set, they are their own', () => {
    expect(loadConfig({ REVERSAL_BACKOFF_BASE: '2m', REVERSAL_BACKOFF_MAX: '2h' })).toMatchObject({
      payoutBackoffBaseMs: 120_000,
      payoutBackoffMaxMs: 7_200_000,
    });
    expect(loadConfig({ PAYOUT_BACKOFF_BASE: '10s', PAYOUT_BACKOFF_MAX: '5m' })).toMatchObject({
      payoutBackoffBaseMs: 10_000,
      payoutBackoffMaxMs: 300_000,
      reversalBackoffBaseMs: 60_000,
    });
    expect(refusal({ PAYOUT_BACKOFF_MAX: '1 hour' })).toMatch(/^PAYOUT_BACKOFF_MAX must be a duration/);
  });

  it('when a switch is neither on nor off, then it is refused, and the usual spellings are read', () => {
    expect(refusal({ WORKERS: 'maybe' })).toBe('WORKERS must be on or off (got "maybe")');
    expect(refusal({ DEMO_DATA: '2' })).toBe('DEMO_DATA must be on or off (got "2")');
    expect(['on', 'TRUE', '1', 'yes'].map((raw) => loadConfig({ WORKERS: raw }).workersInProcess)).toEqual([true, true, true, true]);
    expect(['off', 'False', '0', 'no'].map((raw) => loadConfig({ WORKERS: raw }).workersInProcess)).toEqual([false, false, false, false]);
  });

  it('when a rate, amount or budget is out of range, then it is refused', () => {
    expect(refusal({ PRICE_DRIFT_BPS: '10001' })).toBe('PRICE_DRIFT_BPS must be between 0 and 10000 (got 10001)');
    expect(refusal({ MAX_ORDER_AMOUNT: '1e6' })).toBe('MAX_ORDER_AMOUNT must be a whole number (got "1e6")');
    expect(refusal({ MAX_QUERY_COST: '0' })).toBe('MAX_QUERY_COST must be between 1 and 1000000000 (got 0)');
    expect(loadConfig({ MAX_QUERY_COST: '12000' }).maxQueryCost).toBe(12_000);
    expect(refusal({ MAX_QUERY_TOKENS: '99' })).toBe('MAX_QUERY_TOKENS must be between 100 and 1000000 (got 99)');
    expect(refusal({ MAX_QUERY_TOKENS: '5k' })).toBe('MAX_QUERY_TOKENS must be a whole number (got "5k")');
    expect(loadConfig({ MAX_QUERY_TOKENS: '20000' }).maxQueryTokens).toBe(20_000);
  });

  it('when a URL is not absolute http(s), then it is refused', () => {
    expect(refusal({ PUBLIC_URL: 'shop.example.com' })).toBe('PUBLIC_URL must be an absolute http(s) URL (got "shop.example.com")');
    expect(refusal({ STRIPE_API_BASE: 'ftp://stripe.local' })).toBe('STRIPE_API_BASE must be an http(s) URL (got "ftp://stripe.local")');
    expect(loadConfig({ PUBLIC_URL: 'https://shop.example.com/' }).publicUrl).toBe('https://shop.example.com');
  });

  it('when GATEWAY_PROCESSES is set, then it is a whole number in 1..64 and above 1 only with PostgreSQL', () => {
    expect(loadConfig({}).gatewayProcesses).toBe(1);
    expect(loadConfig({ ...POSTGRES, GATEWAY_PROCESSES: '4' }).gatewayProcesses).toBe(4);
    expect(refusal({ ...POSTGRES, GATEWAY_PROCESSES: '0' })).toBe('GATEWAY_PROCESSES must be between 1 and 64 (got 0)');
    expect(refusal({ ...POSTGRES, GATEWAY_PROCESSES: 'two' })).toBe('GATEWAY_PROCESSES must be a whole number (got "two")');
    expect(refusal({ GATEWAY_PROCESSES: '2' })).toMatch(/^GATEWAY_PROCESSES above 1 needs PostgreSQL/);
  });

  it('when PERSISTED_QUERIES is not one of its modes, then it is refused with one line', () => {
    expect(refusal({ PERSISTED_QUERIES: 'on' })).toBe('PERSISTED_QUERIES must be off, allow, only-for-partners or audit-partners (got "on")');
    expect(['off', 'allow', 'only-for-partners', 'audit-partners'].map((mode) => loadConfig({ PERSISTED_QUERIES: mode }).persistedQueries)).toEqual([
      'off',
      'allow',
      'only-for-partners',
      'audit-partners',
    ]);
  });
});

describe('loadConfig: safe defaults (issue 9)', () => {
  it('when DATABASE_URL is absent, then demo data is on; with DATABASE_URL it is off unless DEMO_DATA says on', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig(POSTGRES).demoData).toBe(false);
    expect(loadConfig({ ...POSTGRES, DEMO_DATA: 'on' }).demoData).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'off' }).demoData).toBe(false);
  });

  it('when nothing is set, then the hoarding limits default to 20 units per line, no guest cash on delivery and 30 days of cart retention', () => {
    expect(loadConfig({})).toMatchObject({
      maxReservedUnitsPerLine: 20,
      guestCashOnDelivery: false,
      cartRetentionMs: 30 * 86_400_000,
      allowedReturnOrigins: [],
    });
    expect(loadConfig({ MAX_RESERVED_UNITS_PER_LINE: '5', GUEST_COD: 'on', CART_RETENTION: '7d' })).toMatchObject({
      maxReservedUnitsPerLine: 5,
      guestCashOnDelivery: true,
      cartRetentionMs: 7 * 86_400_000,
    });
  });

  it('when a hoarding limit is out of range, then it is refused with what it must be', () => {
    expect(refusal({ MAX_RESERVED_UNITS_PER_LINE: '0' })).toBe('MAX_RESERVED_UNITS_PER_LINE must be between 1 and 999 (got 0)');
    expect(refusal({ MAX_RESERVED_UNITS_PER_LINE: '1000' })).toBe('MAX_RESERVED_UNITS_PER_LINE must be between 1 and 999 (got 1000)');
    expect(refusal({ GUEST_COD: 'sometimes' })).toBe('GUEST_COD must be on or off (got "sometimes")');
    expect(refusal({ CART_RETENTION: '30m' })).toBe('CART_RETENTION must be at least 1h (got "30m"); days are written 30d');
    expect(refusal({ CART_RETENTION: '30 days' })).toMatch(/^CART_RETENTION must be a duration/);
  });

  it('when ALLOWED_RETURN_ORIGINS lists origins, then they are kept as origins; a path or a non-http URL is refused', () => {
    expect(loadConfig({ ALLOWED_RETURN_ORIGINS: 'https://shop.example.com, https://App.Example.com:8443/' }).allowedReturnOrigins).toEqual([
      'https://shop.example.com',
      'https://app.example.com:8443',
    ]);
    expect(refusal({ ALLOWED_RETURN_ORIGINS: 'https://shop.example.com/checkout' })).toBe(
      'ALLOWED_RETURN_ORIGINS takes origins like https://shop.example.com, without a path (got "https://shop.example.com/checkout")',
    );
    expect(refusal({ ALLOWED_RETURN_ORIGINS: 'javascript:alert(1)' })).toMatch(/^ALLOWED_RETURN_ORIGINS must be an http\(s\) URL/);
  });

  it('when LOG_LEVEL is not a level, then it is refused instead of meaning info', () => {
    expect(refusal({ LOG_LEVEL: 'verbose' })).toBe('LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose")');
    expect(['debug', 'info', 'warn', 'error', 'silent'].map((level) => loadConfig({ LOG_LEVEL: level }).port)).toEqual([4000, 4000, 4000, 4000, 4000]);
  });

  it('when a Stripe key comes without a webhook secret, then it is refused', () => {
    expect(refusal({ STRIPE_SECRET_KEY: 'sk_test_x' })).toBe(
      'STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (payments are settled by verified webhooks)',
    );
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).stripeWebhookSecret).toBe('whsec_x');
  });
});

describe('the tillgate process with a bad configuration', () => {
  const run = promisify(execFile);
  let build: ScratchBuild;

  beforeAll(() => {
    // The same compile step as `npm run build`, so the test runs what `npm start` runs.
    build = buildIntoScratch('bad-config');
  });
  afterAll(() => build.remove());

  async function start(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return run(process.execPath, [build.entry('src/main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: join(build.dir, 'data'), ...env },
      timeout: 90_000,
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (failure: { code: number; stdout: string; stderr: string }) => failure,
    );
  }

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'Configuration error: DATABASE_URL must start with postgres:// (got "mysql://...")'],
    [{ PORT: 'eighty' }, 'Configuration error: PORT must be a whole number (got "eighty")'],
    [{ LOG_LEVEL: 'verbose' }, 'Configuration error: LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose")'],
    [
      { STRIPE_SECRET_KEY: 'sk_test_x' },
      'Configuration error: STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (payments are settled by verified webhooks)',
    ],
  ])('when started with %j, then it exits 2 with exactly one clear line on stderr', async (env, line) => {
    const outcome = await start(env);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.split('\n').filter(Boolean)).toEqual([line]);
    expect(outcome.stdout).toBe('');
  });
});
