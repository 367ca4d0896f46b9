/** The parsers and section readers behind loadConfig: each checks one setting's form and says what it expects. */
import { isIP } from 'node:net';
import type { BillingSettings, RateRule, RateLimitSettings, HeldUnitCaps, TrustProxy, DatabaseConfig } from './settings';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(name: string, raw: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
  if (!match) throw new ConfigError(`${name} must be a duration like 200ms, 3s, 5m or 1h (got "${raw}")`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2]];
}

export function parseWholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max} (got ${raw})`);
  }
  return value;
}

export function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(value)) return true;
  if (['0', 'false', 'off', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off (got "${raw}")`);
}

export function parseHttpUrl(name: string, raw: string): URL {
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

export function parseDatabase(env: Env, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL?.trim();
  const directRaw = env.DATABASE_DIRECT_URL?.trim();
  if (!raw) {
    if (directRaw) throw new ConfigError('DATABASE_DIRECT_URL needs DATABASE_URL: the embedded libSQL file has no server to reach directly');
    return { dialect: 'libsql', url: `${dataDir.replace(/\/$/, '')}/tillgate.db` };
  }
  const url = parsePostgresUrl('DATABASE_URL', raw);
  const preparedStatements = read(env, 'DATABASE_PREPARED_STATEMENTS', parseBoolean, true);
  return { dialect: 'postgresql', url, preparedStatements, ...(directRaw ? { directUrl: parsePostgresUrl('DATABASE_DIRECT_URL', directRaw) } : {}) };
}

function parsePostgresUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a postgres://user:password@host:port/database URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// (got "${url.protocol}//...")`);
  }
  if (!url.hostname || url.pathname.length <= 1) {
    throw new ConfigError(`${name} must name a host and a database, e.g. postgres://user@localhost:5432/tillgate`);
  }
  return raw;
}

export function positiveDuration(name: string, raw: string): number {
  const ms = parseDuration(name, raw);
  if (ms <= 0) throw new ConfigError(`${name} must be longer than 0 (got "${raw}")`);
  return ms;
}

/** A Cache-Control max-age: whole seconds (HTTP has no finer unit), 0 to 1h. */
export function cacheMaxAgeSeconds(name: string, raw: string): number {
  const ms = parseDuration(name, raw);
  if (ms % 1_000 !== 0 || ms > 3_600_000) throw new ConfigError(`${name} must be whole seconds from 0s to 1h (got "${raw}")`);
  return ms / 1_000;
}

/** Reads one optional variable and parses it, or returns the fallback. */
export function read<T>(env: Env, name: string, parse: (name: string, raw: string) => T, fallback: T): T {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : parse(name, raw);
}

export const optionalString = (env: Env, name: string): string | null => env[name]?.trim() || null;

export const listOf = (env: Env, name: string): string[] =>
  (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** An origin alone (scheme, host, port): a path, query or credentials would suggest a finer check than the one made. */
export function parseOrigin(name: string, raw: string): string {
  const url = parseHttpUrl(name, raw);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name} takes origins like https://shop.example.com, without a path (got "${raw}")`);
  }
  return url.origin;
}

/** Only local development pages until an operator names the storefronts. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = Object.freeze(['http://localhost:*', 'http://127.0.0.1:*']);

/** An origin, or `scheme://host:*` (any port of that host, as local dev servers pick one). */
function parseOriginPattern(name: string, raw: string): string {
  if (!raw.endsWith(':*')) return parseOrigin(name, raw);
  const origin = parseOrigin(name, raw.slice(0, -2));
  if (new URL(origin).port) throw new ConfigError(`${name}: write a host with any port as http://localhost:*, without a port before :* (got "${raw}")`);
  return `${origin}:*`;
}

export function parseAllowedOrigins(name: string, raw: string): readonly string[] {
  return Object.freeze(
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => parseOriginPattern(name, entry)),
  );
}

/** Retention below an hour is almost certainly a unit mistake (m is minutes, not months) and would delete live carts. */
export function retentionDuration(name: string, raw: string): number {
  const ms = parseDuration(name, raw);
  if (ms < 3_600_000) throw new ConfigError(`${name} must be at least 1h (got "${raw}"); days are written 30d`);
  return ms;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * The logger reads LOG_LEVEL itself; it is checked here so that a misspelt
 * level stops start-up instead of silently meaning info.
 */
export function checkLogLevel(env: Env): void {
  const raw = env.LOG_LEVEL?.trim();
  if (raw && !LOG_LEVELS.includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
}

/** `10/15m`: a count per window; `off` switches the one limit off. */
export function parseRateRule(name: string, raw: string): RateRule | null {
  const value = raw.trim();
  if (value.toLowerCase() === 'off') return null;
  const match = /^(\d+)\s*\/\s*(\S+)$/.exec(value);
  if (!match) throw new ConfigError(`${name} must be a count per duration like 10/15m, or off (got "${raw}")`);
  return { points: parseWholeNumber(name, match[1], 1, 1_000_000), durationMs: positiveDuration(name, match[2]) };
}

const rule = (points: number, durationMs: number): RateRule => ({ points, durationMs });

/** Every rate-limit setting is checked even when RATE_LIMITS=off, so a typo never waits for the day they are switched on. */
export function readRateLimits(env: Env): RateLimitSettings | null {
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
export function readHeldUnitCaps(env: Env): HeldUnitCaps | null {
  const units = (n: string, r: string) => parseWholeNumber(n, r, 1, 1_000_000);
  const caps = { perCustomer: read(env, 'MAX_HELD_UNITS_PER_CUSTOMER', units, 50), perAddress: read(env, 'MAX_HELD_UNITS_PER_ADDRESS', units, 100) };
  return read(env, 'RATE_LIMITS', parseBoolean, true) ? caps : null;
}

/** A guest's hold is the short one: longer than RESERVATION_TTL would make a stranger's hold outlast a customer's. */
export function readGuestHoldTtl(env: Env, reservationTtlMs: number): number {
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
export function parseTrustProxy(name: string, raw: string): TrustProxy {
  const value = raw.trim();
  if (['off', 'false', 'no'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) return parseWholeNumber(name, value, 0, 32) || false;
  const ranges = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (ranges.length === 0 || !ranges.every(isProxyRange)) {
    throw new ConfigError(`${name} must be a hop count or a comma-separated list of proxy addresses or CIDR ranges, e.g. 10.0.0.0/8 (got "${raw}")`);
  }
  return Object.freeze(ranges);
}

/** An RFC 6750 bearer token, long enough not to be guessed. */
export function parseMetricsToken(name: string, raw: string): string {
  const token = raw.trim();
  if (token.length < 16 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new ConfigError(`${name} must be at least 16 characters of letters, digits and - . _ ~ + / (got ${token.length} characters)`);
  }
  return token;
}

/** Scrapers reach it on an internal network; it cannot share the public port. */
export function readMetricsPort(env: Env, port: number): number | null {
  const metricsPort = read<number | null>(env, 'METRICS_PORT', (n, r) => parseWholeNumber(n, r, 0, 65_535), null);
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError(`METRICS_PORT must differ from PORT (both ${port})`);
  }
  return metricsPort;
}

/** An IP address, or a host name the listener resolves (`localhost`). */
export function parseHost(name: string, raw: string): string {
  const host = raw.trim();
  if (isIP(host) || /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) return host;
  throw new ConfigError(`${name} must be an IP address such as 127.0.0.1 or 0.0.0.0, or a host name (got "${raw}")`);
}

/** A calendar day; a shorter billing day is for tests and demos (start-up warns about it). */
export const CALENDAR_DAY_SECONDS = 86_400;

/** `1,3,5`: each retry's billing days after the first failed attempt, strictly ascending. */
export function parseRetryDays(name: string, raw: string): readonly number[] {
  const days = raw.split(',').map((entry) => entry.trim());
  const shape = `${name} must be billing days in ascending order, like 1,3,5 (got "${raw}")`;
  if (days.length > 20 || days.some((day) => !/^\d+$/.test(day))) throw new ConfigError(shape);
  const values = days.map((day) => parseWholeNumber(name, day, 1, 366));
  if (values.some((day, index) => index > 0 && day <= values[index - 1])) throw new ConfigError(shape);
  return Object.freeze(values);
}

export function readBilling(env: Env): BillingSettings {
  return {
    daySeconds: read(env, 'BILLING_DAY_SECONDS', (n, r) => parseWholeNumber(n, r, 1, CALENDAR_DAY_SECONDS), CALENDAR_DAY_SECONDS),
    checkIntervalMs: read(env, 'BILLING_CHECK_INTERVAL', positiveDuration, 60_000),
    renewalRetryDays: read(env, 'RENEWAL_RETRY_DAYS', parseRetryDays, Object.freeze([1, 3, 5])),
  };
}
