/**
 * Environment parsed once at start, validated, frozen. A bad value stops the
 * process with one clear line (see main.ts) instead of failing later mid-request.
 * The settings' types live in config/settings.ts, their parsers in config/parse.ts.
 */
import {
  checkLogLevel,
  ConfigError,
  DEFAULT_ALLOWED_ORIGINS,
  listOf,
  optionalString,
  parseAllowedOrigins,
  parseBoolean,
  parseDatabase,
  parseDuration,
  parseHost,
  parseHttpUrl,
  parseMetricsToken,
  parseOrigin,
  parseTrustProxy,
  parseWholeNumber,
  positiveDuration,
  read,
  readBilling,
  readGuestHoldTtl,
  readHeldUnitCaps,
  readMetricsPort,
  readRateLimits,
  retentionDuration,
  type Env,
} from './config/parse';
import type { Config, PersistedQueriesMode } from './config/settings';

export type * from './config/settings';
export { CALENDAR_DAY_SECONDS, ConfigError, parseDuration } from './config/parse';

/** Marks a NODE_ENV=production that production-mode.ts filled in for the libraries: not the operator's production. */
export const NODE_ENV_FILLED_IN = 'TILLGATE_NODE_ENV_FILLED_IN';

const isProduction = (env: Env): boolean => env.NODE_ENV?.trim() === 'production' && env[NODE_ENV_FILLED_IN] !== '1';

/** The gateway's check (its PORT is public); the worker's WORKER_PORT is a metrics port already, migrate serves none. */
export function requireGuardedMetrics(config: Config): void {
  if (config.production && config.metricsToken === null && config.metricsPort === null) {
    throw new ConfigError('NODE_ENV=production needs METRICS_TOKEN or METRICS_PORT: /metrics would be open to anyone who reaches PORT');
  }
}

export function loadConfig(env: Env = process.env): Config {
  const production = isProduction(env);
  const dataDir = env.DATA_DIR?.trim() || './data';
  const database = parseDatabase(env, dataDir);
  const port = read(env, 'PORT', (n, r) => parseWholeNumber(n, r, 0, 65_535), 4000);
  const publicUrl = read(env, 'PUBLIC_URL', parseHttpUrl, new URL(`http://localhost:${port}`))
    .toString()
    .replace(/\/$/, '');
  const authSecret = optionalString(env, 'AUTH_SECRET');
  if (database.dialect === 'postgresql' && !authSecret) {
    throw new ConfigError('AUTH_SECRET is required with DATABASE_URL (at least 32 characters)');
  }
  if (authSecret && authSecret.length < 32) throw new ConfigError('AUTH_SECRET must be at least 32 characters');
  checkLogLevel(env);
  const reversalBackoffBaseMs = read(env, 'REVERSAL_BACKOFF_BASE', parseDuration, 60_000);
  const reversalBackoffMaxMs = read(env, 'REVERSAL_BACKOFF_MAX', parseDuration, 3_600_000);
  // Card and hosted payments finish through Stripe's webhooks: without the secret none can be verified.
  if (optionalString(env, 'STRIPE_SECRET_KEY') && !optionalString(env, 'STRIPE_WEBHOOK_SECRET')) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (payments are settled by verified webhooks)');
  }
  const persistedQueries = read(
    env,
    'PERSISTED_QUERIES',
    (name, raw): PersistedQueriesMode => {
      if (raw === 'off' || raw === 'allow' || raw === 'only-for-partners' || raw === 'audit-partners') return raw;
      throw new ConfigError(`${name} must be off, allow, only-for-partners or audit-partners (got "${raw}")`);
    },
    'allow',
  );
  const gatewayProcesses = read(env, 'GATEWAY_PROCESSES', (n, r) => parseWholeNumber(n, r, 1, 64), 1);
  if (gatewayProcesses > 1 && database.dialect !== 'postgresql') {
    throw new ConfigError('GATEWAY_PROCESSES above 1 needs PostgreSQL (DATABASE_URL): the embedded libSQL file serves one process');
  }
  const reservationTtlMs = read(env, 'RESERVATION_TTL', parseDuration, 15 * 60_000);
  const bps = (n: string, r: string) => parseWholeNumber(n, r, 0, 10_000);
  const count = (n: string, r: string) => parseWholeNumber(n, r, 0, 1_000);

  return Object.freeze({
    production,
    database,
    dataDir,
    port,
    host: read(env, 'HOST', parseHost, production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl,
    authSecret,
    adminEmail: optionalString(env, 'ADMIN_EMAIL'),
    adminPassword: optionalString(env, 'ADMIN_PASSWORD'),
    stripeSecretKey: optionalString(env, 'STRIPE_SECRET_KEY'),
    stripeWebhookSecret: optionalString(env, 'STRIPE_WEBHOOK_SECRET'),
    stripeApiBase: read<URL | null>(env, 'STRIPE_API_BASE', parseHttpUrl, null),
    // Stripe's own ceiling for most currencies is 99,999,999 minor units.
    maxOrderAmount: read(env, 'MAX_ORDER_AMOUNT', (n, r) => parseWholeNumber(n, r, 0, Number.MAX_SAFE_INTEGER), 99_999_999),
    priceDriftBps: read(env, 'PRICE_DRIFT_BPS', bps, 500),
    priceStaleAfterMs: read(env, 'PRICE_STALE_AFTER', parseDuration, 10 * 60_000),
    reservationTtlMs,
    // A cart line never holds more than 999 units (cart.service MAX_LINE_QUANTITY), so neither can the cap.
    maxReservedUnitsPerLine: read(env, 'MAX_RESERVED_UNITS_PER_LINE', (n, r) => parseWholeNumber(n, r, 1, 999), 20),
    heldUnitCaps: readHeldUnitCaps(env),
    guestHoldTtlMs: readGuestHoldTtl(env, reservationTtlMs),
    guestCashOnDelivery: read(env, 'GUEST_COD', parseBoolean, false),
    cartRetentionMs: read(env, 'CART_RETENTION', retentionDuration, 30 * 86_400_000),
    allowedReturnOrigins: listOf(env, 'ALLOWED_RETURN_ORIGINS').map((origin) => parseOrigin('ALLOWED_RETURN_ORIGINS', origin)),
    paymentLinkStaleAfterMs: read(env, 'PAYMENT_LINK_STALE_AFTER', parseDuration, 30 * 60_000),
    platformFeeBps: read(env, 'PLATFORM_FEE_BPS', bps, 1_000),
    transferMaxRetries: read(env, 'TRANSFER_MAX_RETRIES', count, 5),
    reversalMaxRetries: read(env, 'REVERSAL_MAX_RETRIES', count, 5),
    reversalBackoffBaseMs,
    reversalBackoffMaxMs,
    payoutBackoffBaseMs: read(env, 'PAYOUT_BACKOFF_BASE', parseDuration, reversalBackoffBaseMs),
    payoutBackoffMaxMs: read(env, 'PAYOUT_BACKOFF_MAX', parseDuration, reversalBackoffMaxMs),
    reversalCheckIntervalMs: read(env, 'REVERSAL_CHECK_INTERVAL', parseDuration, 60_000),
    workerPollIntervalMs: read(env, 'WORKER_POLL_INTERVAL', parseDuration, 1_000),
    workersInProcess: read(env, 'WORKERS', parseBoolean, true),
    persistedQueries,
    // About 10,000 rows: a page of 50 orders with lines and payments, or 100 products with variants, fits.
    maxQueryCost: read(env, 'MAX_QUERY_COST', (n, r) => parseWholeNumber(n, r, 1, 1_000_000_000), 10_000),
    // The client package's largest document is about 230 tokens and the playground's introspection under 200.
    maxQueryTokens: read(env, 'MAX_QUERY_TOKENS', (n, r) => parseWholeNumber(n, r, 100, 1_000_000), 5_000),
    allowedOrigins: read(env, 'ALLOWED_ORIGINS', parseAllowedOrigins, DEFAULT_ALLOWED_ORIGINS),
    outboxHttpSinkUrls: listOf(env, 'OUTBOX_HTTP_SINK_URLS').map((u) => parseHttpUrl('OUTBOX_HTTP_SINK_URLS', u).toString()),
    outboxMaxAttempts: read(env, 'OUTBOX_MAX_ATTEMPTS', (n, r) => parseWholeNumber(n, r, 1, 1_000), 10),
    sagaRecoveryGraceMs: read(env, 'SAGA_RECOVERY_GRACE', parseDuration, 30_000),
    checkoutSessionTtlMs: read(env, 'CHECKOUT_SESSION_TTL', parseDuration, 60 * 60_000),
    cardActionTimeoutMs: read(env, 'CARD_ACTION_TIMEOUT', positiveDuration, 60 * 60_000),
    // Demo vouchers give money away: never seeded into production or a PostgreSQL database unless asked for by name.
    demoData: read(env, 'DEMO_DATA', parseBoolean, !production && database.dialect === 'libsql'),
    sqlStatementMetrics: read(env, 'SQL_STATEMENT_METRICS', parseBoolean, false),
    metricsToken: read<string | null>(env, 'METRICS_TOKEN', parseMetricsToken, null),
    metricsPort: readMetricsPort(env, port),
    gatewayProcesses,
    rateLimits: readRateLimits(env),
    trustProxy: read(env, 'TRUST_PROXY', parseTrustProxy, false),
    metricsRefreshIntervalMs: read(env, 'METRICS_REFRESH_INTERVAL', positiveDuration, 15_000),
    workerPort: read(env, 'WORKER_PORT', (n, r) => parseWholeNumber(n, r, 0, 65_535), 4001),
    // The embedded file has one deployment per file; with PostgreSQL a release migrates once, before the processes start.
    migrateOnStart: read(env, 'MIGRATE_ON_START', parseBoolean, database.dialect === 'libsql'),
    shutdownDelayMs: read(env, 'SHUTDOWN_DELAY', parseDuration, 0),
    billing: readBilling(env),
  });
}

/** For process entry points: a bad value (or a failed check of this process's own) ends the process with one clear line and exit code 2. */
export function loadConfigOrExit(env: Env = process.env, ...checks: ((config: Config) => void)[]): Config {
  try {
    const config = loadConfig(env);
    for (const check of checks) check(config);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
}
