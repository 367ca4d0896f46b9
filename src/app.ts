import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolveAuthSecret } from './auth-secret';
import type { Config } from './config';
import { accessChangesForOtherProcesses, startAccessFeed } from './db/access-changes';
import { requireMigratedSchema } from './db/migration-status';
import { migrate, openOrm, type Orm, type OrmOptions } from './db/orm';
import { PartnerKey } from './entities';
import { createHttpApp } from './http/app';
import { boundAddress, listenOn, localBaseUrl } from './http/listen';
import { RateLimits } from './http/rate-limits';
import { startGraphQLServer } from './http/graphql-server';
import { stripeWebhookRouter } from './http/stripe-webhook.router';
import { opsRouter } from './http/ops/ops.router';
import { paymentLinksRouter } from './http/payment-links.router';
import { persistedQuerySettings } from './http/persisted-queries';
import { requestLimitMiddleware } from './http/request-budget';
import { documentParseOptions, queryLimitRules, requestLimitsFor } from './http/request-limits';
import { startMetricsServer } from './http/metrics';
import { clusterMetricsText, joinClusterMetrics, localMetricsText } from './observability/cluster-metrics';
import { sqlStatements } from './observability/metrics';
import { startOpsGaugesRefresher } from './observability/ops-gauges';
import { buildTillgateSchema } from './schema/build-schema';
import type { AppDeps } from './services/app-deps';
import { composeAppDeps, type CompositionOverrides } from './composition-root';
import { warnWhenBillingDayIsShort } from './services/subscriptions/billing-day-warning';
import { prepareStartUpAdmin, type StartUpAdmin } from './services/auth/start-up-admin';
import { seedDemoData } from './services/catalog/demo-seed';
import { TokenService } from './services/auth/tokens';
import { logger } from './services/shared/logger';
import { allWorkers, WorkerRunner } from './services/workers';

export interface StartOptions extends OrmOptions, CompositionOverrides {
  /** An ORM opened by the caller (tests share one); otherwise opened from config. */
  orm?: Orm;
  /** A gateway process of a cluster: its primary already ran prepareDatabase. */
  databasePrepared?: boolean;
  /** A gateway process of a cluster: /metrics shows the sum over every process (the primary adds them up). */
  clusterMetrics?: boolean;
}

export interface Tillgate {
  url: string;
  /** Where the gateway listens (HOST, PORT). */
  address: AddressInfo;
  /** /metrics on METRICS_PORT; null when the main port serves it. */
  metricsUrl: string | null;
  deps: AppDeps;
  /** What this start did about the admin account (null in a cluster's gateway process: its primary prepared it). */
  admin: StartUpAdmin | null;
  /** Background workers when WORKERS is on (the default); null when they run in `npm run worker`. */
  workers: WorkerRunner | null;
  close(): Promise<void>;
}

/**
 * What must happen once per start of a deployment, before any request: the
 * schema migrated (or, when this process does not migrate, found migrated),
 * the admin account prepared, the demo catalog seeded into an empty database.
 */
export async function prepareDatabase(config: Config, orm: Orm, options: { migrateSchema: boolean; tokens: TokenService }): Promise<StartUpAdmin> {
  if (options.migrateSchema) await migrate(orm);
  else await requireMigratedSchema(orm);
  const admin = await prepareStartUpAdmin(config, orm.em.fork(), { tokens: options.tokens, access: accessChangesForOtherProcesses(config.database) });
  if (config.demoData) await seedDemoData(orm.em.fork());
  return admin;
}

/** A partner mode starts with no partner in the database (an admin adds them at run time), but says so. */
async function warnWhenNoPartner(config: Config, orm: Orm): Promise<void> {
  if (config.persistedQueries !== 'only-for-partners' && config.persistedQueries !== 'audit-partners') return;
  if ((await orm.em.fork().count(PartnerKey, { revokedAt: null })) > 0) return;
  logger.warn('partners.no_active_key', { mode: config.persistedQueries, effect: 'no partner can call until an admin runs createPartner and issuePartnerKey' });
}

export async function startTillgate(config: Config, options: StartOptions = {}): Promise<Tillgate> {
  if (config.database.dialect === 'libsql' && config.database.url !== ':memory:') mkdirSync(config.dataDir, { recursive: true });
  const ownsOrm = !options.orm;
  const onQuery = config.sqlStatementMetrics
    ? (sql: string) => {
        sqlStatements.inc();
        options.onQuery?.(sql);
      }
    : options.onQuery;
  const orm = options.orm ?? (await openOrm(config.database, { ...options, onQuery }));
  const tokens = new TokenService(resolveAuthSecret(config));
  const admin = options.databasePrepared ? null : await prepareDatabase(config, orm, { migrateSchema: ownsOrm && config.migrateOnStart, tokens });
  const deps = composeAppDeps(config, orm, tokens, options);
  // Before the first request: a signed-in request is checked from memory only once every change reaches it.
  const accessFeed = await startAccessFeed(deps.db, config.database.directUrl, deps.access);

  const schema = await buildTillgateSchema();
  const limits = requestLimitsFor(config);
  const graphql = await startGraphQLServer({
    schema,
    validationRules: queryLimitRules(limits),
    parseOptions: documentParseOptions(limits),
    ...persistedQuerySettings(config),
    catalogMaxAgeSeconds: config.catalogMaxAgeSeconds,
  });
  if (options.clusterMetrics) joinClusterMetrics();
  const metricsSource = options.clusterMetrics ? clusterMetricsText : localMetricsText;
  let draining = false;
  // One set of counters for /graphql and /ops: a password guessed on either page counts against logIn's limits.
  const rateLimits = RateLimits.create(config, deps);
  const app = createHttpApp({
    deps,
    graphql,
    rateLimits,
    requestLimits: requestLimitMiddleware(schema, limits),
    routers: [stripeWebhookRouter(deps), paymentLinksRouter(deps), opsRouter(deps, graphql, rateLimits)],
    metricsSource,
    isDraining: () => draining,
  });
  const server = await listenOn(app, config.port, config.host);
  const address = boundAddress(server);
  // In a cluster the primary serves METRICS_PORT, for all the processes at once.
  const metricsServer = options.clusterMetrics ? null : await startMetricsServer(config, metricsSource);
  logger.info('tillgate.started', { host: address.address, port: address.port, database: config.database.dialect, pid: process.pid });
  await warnWhenNoPartner(config, orm);
  warnWhenBillingDayIsShort(config);
  const workers = config.workersInProcess ? new WorkerRunner(deps) : null;
  if (workers) {
    for (const worker of allWorkers(deps)) workers.register(worker);
    workers.start();
  }
  // The process that runs the workers keeps the database gauges fresh.
  const gauges = workers ? startOpsGaugesRefresher(deps) : null;

  return {
    url: localBaseUrl(server),
    address,
    metricsUrl: metricsServer?.url ?? null,
    deps,
    admin,
    workers,
    async close() {
      // Not ready from now on, while everything below drains; SHUTDOWN_DELAY lets load balancers see it first.
      draining = true;
      if (config.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      // Workers first: their in-flight ticks still need the database.
      await gauges?.stop();
      await workers?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await metricsServer?.close();
      await graphql.stop();
      await accessFeed.stop();
      if (ownsOrm) await orm.close(true);
    },
  };
}
