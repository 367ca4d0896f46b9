/**
 * Environment parsed once at start, validated, frozen. A bad value stops the
 * process with one clear line (see main.ts) instead of failing later mid-request.
 */
import { isIP } from 'node:net';

export type PersistedQueriesMode = 'off' | 'allow' | 'only-for-partners' | 'audit-partners';

/** At most `points` in a fixed window of `durationMs` (written `10/15m`). */
export interface RateRule {
  readonly points: number;
  readonly durationMs: number;
}

/** The abuse rate limits (src/http/rate-limits); a null rule is switched off. */
export interface RateLimitSettings {
  /** Failed logIns per (email, client address) before a lockout of that pair that doubles each time it recurs. */
  readonly loginEmailIp: RateRule | null;
  /** Failed logIns per email from every address together: a ceiling for addresses the email has not logged in from. */
  readonly loginEmail: RateRule | null;
  readonly loginIp: RateRule | null;
  readonly signUpIp: RateRule | null;
  /** Failed applyVoucher and redeemVoucher attempts, per IP and per customer. */
  readonly voucherFailures: RateRule | null;
  /** Declined confirmCheckout payments per cart owner. */
  readonly checkoutDeclines: RateRule | null;
  /** One confirmCheckout at a time per customer (or guest email) and per IP. */
  readonly checkoutOneInFlight: boolean;
  /** Carts an IP creates or adds lines to. */
  readonly cartsIp: RateRule | null;
  /** verifyLicense look-ups of keys that do not exist, per IP. */
  readonly licenseMissesIp: RateRule | null;
  /** Requests to /graphql per IP, counted before the body is read. */
  readonly graphqlRequestsIp: RateRule | null;
}

/** Units one client may hold in stock reservations across its open checkouts (startCheckout). */
export interface HeldUnitCaps {
  readonly perCustomer: number;
  /** An anonymous client, counted by its address (clientAddressKey). */
  readonly perAddress: number;
}

/** Express `trust proxy`: believe X-Forwarded-For never, from this many hops, or from these proxies. */
export type TrustProxy = false | number | readonly string[];

export interface DatabaseConfig {
  readonly dialect: 'postgresql' | 'libsql';
  /** postgres:// URL, or the libSQL file path (":memory:" in tests). */
  readonly url: string;
  /** PostgreSQL: hot statements prepared once per connection (DATABASE_PREPARED_STATEMENTS; off for poolers that can't keep them). */
  readonly preparedStatements?: boolean;
}

export interface Config {
  /** NODE_ENV=production as the operator set it: no demo data, no generated admin, /metrics guarded. */
  readonly production: boolean;
  readonly database: DatabaseConfig;
  readonly dataDir: string;
  readonly port: number;
  /** Address every listener binds (PORT, METRICS_PORT, WORKER_PORT): loopback in development, all interfaces in production. */
  readonly host: string;
  readonly publicUrl: string;
  readonly authSecret: string | null;
  readonly adminEmail: string | null;
  readonly adminPassword: string | null;
  readonly stripeSecretKey: string | null;
  readonly stripeWebhookSecret: string | null;
  readonly stripeApiBase: URL | null;
  readonly maxOrderAmount: number;
  readonly priceDriftBps: number;
  readonly priceStaleAfterMs: number;
  readonly reservationTtlMs: number;
  /** Most units of one variant a cart may hold and reserve (one cart cannot hoard a variant). */
  readonly maxReservedUnitsPerLine: number;
  /** Units a client may hold across its open checkouts; null when RATE_LIMITS=off (load tests). */
  readonly heldUnitCaps: HeldUnitCaps | null;
  /** How long an anonymous checkout holds its stock (at most reservationTtlMs). */
  readonly guestHoldTtlMs: number;
  /** Whether a guest (no account) may check out cash on delivery: such an order takes stock without paying. */
  readonly guestCashOnDelivery: boolean;
  /** Age after which abandoned empty carts and long-expired released reservations are deleted. */
  readonly cartRetentionMs: number;
  /** Origins a checkout returnUrl may point to besides PUBLIC_URL's own (no open redirect through Stripe). */
  readonly allowedReturnOrigins: readonly string[];
  readonly paymentLinkStaleAfterMs: number;
  readonly platformFeeBps: number;
  readonly transferMaxRetries: number;
  /** Back-off of a seller transfer's retries (base x 2^retry, capped); the reversal values unless set. */
  readonly payoutBackoffBaseMs: number;
  readonly payoutBackoffMaxMs: number;
  readonly reversalMaxRetries: number;
  readonly reversalBackoffBaseMs: number;
  readonly reversalBackoffMaxMs: number;
  readonly reversalCheckIntervalMs: number;
  readonly workerPollIntervalMs: number;
  readonly workersInProcess: boolean;
  readonly persistedQueries: PersistedQueriesMode;
  /** Cost budget per HTTP request, in rows it could load (src/http/query-cost.ts); batched operations add up. */
  readonly maxQueryCost: number;
  /** Most lexical tokens (and, apart, comments) a GraphQL document may hold; the parser stops past it. */
  readonly maxQueryTokens: number;
  /** CORS for /graphql: exact origins, or `scheme://host:*` for any port of that host (src/http/cors.ts). */
  readonly allowedOrigins: readonly string[];
  readonly outboxHttpSinkUrls: readonly string[];
  /** Failed deliveries after which an outbox event becomes DEAD (a dead letter waiting for replay). */
  readonly outboxMaxAttempts: number;
  readonly sagaRecoveryGraceMs: number;
  readonly checkoutSessionTtlMs: number;
  /**
   * How long a card payment may wait for the buyer (3-D Secure) before the stale
   * card-payment sweeper cancels it; its stock reservations are held that long.
   */
  readonly cardActionTimeoutMs: number;
  readonly demoData: boolean;
  /** Count every SQL statement in /metrics (sql_statements_total); for benchmarks. */
  readonly sqlStatementMetrics: boolean;
  /** The bearer token /metrics asks for (src/http/metrics.ts); null = none. */
  readonly metricsToken: string | null;
  /** A port of its own that alone serves /metrics; null = PORT serves it. */
  readonly metricsPort: number | null;
  /** Gateway processes sharing PORT (PostgreSQL only); 1 = this process serves. */
  readonly gatewayProcesses: number;
  /** null when RATE_LIMITS=off (load tests). */
  readonly rateLimits: RateLimitSettings | null;
  readonly trustProxy: TrustProxy;
  /** How often the processes running workers refresh the database-backed gauges of /metrics. */
  readonly metricsRefreshIntervalMs: number;
  /** Port of `npm run worker`'s /healthz, /readyz and /metrics; 0 = any free port. */
  readonly workerPort: number;
  /** Whether `npm start` migrates the schema itself (else `npm run migrate` does, once per deployment). */
  readonly migrateOnStart: boolean;
  /** On SIGTERM, how long /readyz answers 503 while the server still serves, before the drain closes it. */
  readonly shutdownDelayMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(name: string, raw: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
  if (!match) throw new ConfigError(`${name} must be a duration like 200ms, 3s, 5m or 1h (got "${raw}")`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2]];
}

function parseWholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max} (got ${raw})`);
  }
  return value;
}

function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(value)) return true;
  if (['0', 'false', 'off', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off (got "${raw}")`);
}

function parseHttpUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL (got "${raw}")`);
  }
  return url;
}

function parseDatabase(env: Env, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return { dialect: 'libsql', url: `${dataDir.replace(/\/$/, '')}/tillgate.db` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a postgres://user:password@host:port/database URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${url.protocol}//...")`);
  }
  if (!url.hostname || url.pathname.length <= 1) {
    throw new ConfigError('DATABASE_URL must name a host and a database, e.g. postgres://user@localhost:5432/tillgate');
  }
  return { dialect: 'postgresql', url: raw, preparedStatements: read(env, 'DATABASE_PREPARED_STATEMENTS', parseBoolean, true) };
}

function positiveDuration(name: string, raw: string): number {
  const ms = parseDuration(name, raw);
  if (ms <= 0) throw new ConfigError(`${name} must be longer than 0 (got "${raw}")`);
  return ms;
}

/** Reads one optional variable and parses it, or returns the fallback. */
function read<T>(env: Env, name: string, parse: (name: string, raw: string) => T, fallback: T): T {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : parse(name, raw);
}

const optionalString = (env: Env, name: string): string | null => env[name]?.trim() || null;

const listOf = (env: Env, name: string): string[] =>
  (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** An origin alone (scheme, host, port): a path, query or credentials would suggest a finer check than the one made. */
function parseOrigin(name: string, raw: string): string {
  const url = parseHttpUrl(name, raw);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name} takes origins like https://shop.example.com, without a path (got "${raw}")`);
  }
  return url.origin;
}

/** Only local development pages until an operator names the storefronts. */
const DEFAULT_ALLOWED_ORIGINS: readonly string[] = Object.freeze(['http://localhost:*', 'http://127.0.0.1:*']);

/** An origin, or `scheme://host:*` (any port of that host, as local dev servers pick one). */
function parseOriginPattern(name: string, raw: string): string {
  if (!raw.endsWith(':*')) return parseOrigin(name, raw);
  const origin = parseOrigin(name, raw.slice(0, -2));
  if (new URL(origin).port) throw new ConfigError(`${name}: write a host with any port as http://localhost:*, without a port before :* (got "${raw}")`);
  return `${origin}:*`;
}

function parseAllowedOrigins(name: string, raw: string): readonly string[] {
  return Object.freeze(raw.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => parseOriginPattern(name, entry)));
}

/** Retention below an hour is almost certainly a unit mistake (m is minutes, not months) and would delete live carts. */
function retentionDuration(name: string, raw: string): number {
  const ms = parseDuration(name, raw);
  if (ms < 3_600_000) throw new ConfigError(`${name} must be at least 1h (got "${raw}"); days are written 30d`);
  return ms;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * The logger reads LOG_LEVEL itself; it is checked here so that a misspelt
 * level stops start-up instead of silently meaning info.
 */
function checkLogLevel(env: Env): void {
  const raw = env.LOG_LEVEL?.trim();
  if (raw && !LOG_LEVELS.includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
}

/** `10/15m`: a count per window; `off` switches the one limit off. */
function parseRateRule(name: string, raw: string): RateRule | null {
  const value = raw.trim();
  if (value.toLowerCase() === 'off') return null;
  const match = /^(\d+)\s*\/\s*(\S+)$/.exec(value);
  if (!match) throw new ConfigError(`${name} must be a count per duration like 10/15m, or off (got "${raw}")`);
  return { points: parseWholeNumber(name, match[1], 1, 1_000_000), durationMs: positiveDuration(name, match[2]) };
}

const rule = (points: number, durationMs: number): RateRule => ({ points, durationMs });

/** Every rate-limit setting is checked even when RATE_LIMITS=off, so a typo never waits for the day they are switched on. */
function readRateLimits(env: Env): RateLimitSettings | null {
  const settings: RateLimitSettings = {
    loginEmailIp: read(env, 'RATE_LIMIT_LOGIN_EMAIL_IP', parseRateRule, rule(10, 15 * 60_000)),
    loginEmail: read(env, 'RATE_LIMIT_LOGIN_EMAIL', parseRateRule, rule(100, 3_600_000)),
    loginIp: read(env, 'RATE_LIMIT_LOGIN_IP', parseRateRule, rule(100, 15 * 60_000)),
    signUpIp: read(env, 'RATE_LIMIT_SIGNUP_IP', parseRateRule, rule(20, 3_600_000)),
    voucherFailures: read(env, 'RATE_LIMIT_VOUCHER_FAILURES', parseRateRule, rule(30, 3_600_000)),
    checkoutDeclines: read(env, 'RATE_LIMIT_CHECKOUT_DECLINES', parseRateRule, rule(10, 3_600_000)),
    checkoutOneInFlight: read(env, 'RATE_LIMIT_CHECKOUT_ONE_IN_FLIGHT', parseBoolean, true),
    cartsIp: read(env, 'RATE_LIMIT_CARTS_IP', parseRateRule, rule(60, 3_600_000)),
    licenseMissesIp: read(env, 'RATE_LIMIT_LICENSE_MISSES_IP', parseRateRule, rule(60, 3_600_000)),
    graphqlRequestsIp: read(env, 'RATE_LIMIT_GRAPHQL_IP', parseRateRule, rule(600, 60_000)),
  };
  return read(env, 'RATE_LIMITS', parseBoolean, true) ? settings : null;
}

/** Checked even when RATE_LIMITS=off, which switches the caps off, like every rate limit. */
function readHeldUnitCaps(env: Env): HeldUnitCaps | null {
  const units = (n: string, r: string) => parseWholeNumber(n, r, 1, 1_000_000);
  const caps = { perCustomer: read(env, 'MAX_HELD_UNITS_PER_CUSTOMER', units, 50), perAddress: read(env, 'MAX_HELD_UNITS_PER_ADDRESS', units, 100) };
  return read(env, 'RATE_LIMITS', parseBoolean, true) ? caps : null;
}

/** A guest's hold is the short one: longer than RESERVATION_TTL would make a stranger's hold outlast a customer's. */
function readGuestHoldTtl(env: Env, reservationTtlMs: number): number {
  const ttl = read(env, 'GUEST_HOLD_TTL', positiveDuration, Math.min(5 * 60_000, reservationTtlMs));
  if (ttl > reservationTtlMs) throw new ConfigError(`GUEST_HOLD_TTL must not be longer than RESERVATION_TTL (got ${env.GUEST_HOLD_TTL?.trim()})`);
  return ttl;
}

const NAMED_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR range, or one of express's names for private ranges. */
function isProxyRange(entry: string): boolean {
  if (NAMED_PROXY_RANGES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/**
 * Whom to believe about the client's address. Trusting every hop (`true`) is
 * refused: any client could then name its own address and dodge the rate limits.
 */
function parseTrustProxy(name: string, raw: string): TrustProxy {
  const value = raw.trim();
  if (['off', 'false', 'no'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) return parseWholeNumber(name, value, 0, 32) || false;
  const ranges = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (ranges.length === 0 || !ranges.every(isProxyRange)) {
    throw new ConfigError(`${name} must be a hop count or a comma-separated list of proxy addresses or CIDR ranges, e.g. 10.0.0.0/8 (got "${raw}")`);
  }
  return Object.freeze(ranges);
}

/** An RFC 6750 bearer token, long enough not to be guessed. */
function parseMetricsToken(name: string, raw: string): string {
  const token = raw.trim();
  if (token.length < 16 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new ConfigError(`${name} must be at least 16 characters of letters, digits and - . _ ~ + / (got ${token.length} characters)`);
  }
  return token;
}

/** Scrapers reach it on an internal network; it cannot share the public port. */
function readMetricsPort(env: Env, port: number): number | null {
  const metricsPort = read<number | null>(env, 'METRICS_PORT', (n, r) => parseWholeNumber(n, r, 0, 65_535), null);
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError(`METRICS_PORT must differ from PORT (both ${port})`);
  }
  return metricsPort;
}

/** Marks a NODE_ENV=production that production-mode.ts filled in for the libraries: not the operator's production. */
export const NODE_ENV_FILLED_IN = 'TILLGATE_NODE_ENV_FILLED_IN';

const isProduction = (env: Env): boolean => env.NODE_ENV?.trim() === 'production' && env[NODE_ENV_FILLED_IN] !== '1';

/** An IP address, or a host name the listener resolves (`localhost`). */
function parseHost(name: string, raw: string): string {
  const host = raw.trim();
  if (isIP(host) || /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) return host;
  throw new ConfigError(`${name} must be an IP address such as 127.0.0.1 or 0.0.0.0, or a host name (got "${raw}")`);
}

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
  const publicUrl = read(env, 'PUBLIC_URL', parseHttpUrl, new URL(`http://localhost:${port}`)).toString().replace(/\/$/, '');
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
  const persistedQueries = read(env, 'PERSISTED_QUERIES', (name, raw): PersistedQueriesMode => {
    if (raw === 'off' || raw === 'allow' || raw === 'only-for-partners' || raw === 'audit-partners') return raw;
    throw new ConfigError(`${name} must be off, allow, only-for-partners or audit-partners (got "${raw}")`);
  }, 'allow');
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
