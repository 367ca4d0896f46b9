/** What loadConfig answers: every setting, typed, after validation (src/config.ts). */

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

/** Subscription billing time (src/services/subscriptions/billing-time.ts). */
export interface BillingSettings {
  /** Seconds in a billing day: 86400 follows the calendar; below it (tests, demos) a WEEK, MONTH and YEAR are 7, 30 and 365 such days. */
  readonly daySeconds: number;
  /** How often the renewal worker looks for subscriptions whose period has ended. */
  readonly checkIntervalMs: number;
  /** Billing days after the renewal's first failed attempt at which each retry is due, ascending; past the last, the period is uncollectible. */
  readonly renewalRetryDays: readonly number[];
}

export interface DatabaseConfig {
  readonly dialect: 'postgresql' | 'libsql';
  /** postgres:// URL, or the libSQL file path (":memory:" in tests). */
  readonly url: string;
  /** PostgreSQL: hot statements prepared once per connection (DATABASE_PREPARED_STATEMENTS; off for poolers that can't keep them). */
  readonly preparedStatements?: boolean;
  /**
   * PostgreSQL: a URL that reaches the server itself, for what needs a session of its own (DATABASE_DIRECT_URL):
   * the listener for token revocations and role changes. Absent: DATABASE_URL, unless it goes through a pooler.
   */
  readonly directUrl?: string;
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
  /**
   * Seconds a public cache (CDN, browser) may keep an anonymous catalog answer fetched
   * with GET and a persisted-query hash (src/http/public-cache.ts); 0 = never public.
   */
  readonly catalogMaxAgeSeconds: number;
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
  readonly billing: BillingSettings;
}
