import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Config } from './config';
import { migrate, openOrm, type Orm, type OrmOptions } from './db/orm';
import { PartnerKey } from './entities';
import { createHttpApp } from './http/app';
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
import { AuthService } from './services/auth/auth.service';
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
  /** /metrics on METRICS_PORT; null when the main port serves it. */
  metricsUrl: string | null;
  deps: AppDeps;
  /** The admin password when none was configured: printed once, never stored in plain text. */
  generatedAdminPassword: string | null;
  /** Background workers when WORKERS is on (the default); null when they run in `npm run worker`. */
  workers: WorkerRunner | null;
  close(): Promise<void>;
}

export const DEFAULT_ADMIN_EMAIL = 'admin@tillgate.local';

/** On the embedded default the signing key is generated once and kept beside the data. */
export function resolveAuthSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  const file = join(config.dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * What must happen once per start of a deployment, before any request: the
 * schema migrated, the admin account ensured, the demo catalog seeded into an
 * empty database. Answers the generated one-time admin password, if any.
 */
export async function prepareDatabase(config: Config, orm: Orm, options: { migrateSchema: boolean; tokens: TokenService }): Promise<string | null> {
  if (options.migrateSchema) await migrate(orm);
  const generated = config.adminPassword ? null : randomBytes(12).toString('base64url');
  await new AuthService(orm.em.fork(), { tokens: options.tokens }).ensureAdmin(config.adminEmail ?? DEFAULT_ADMIN_EMAIL, config.adminPassword ?? generated!);
  if (config.demoData) await seedDemoData(orm.em.fork());
  return generated;
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
  const generatedAdminPassword = options.databasePrepared ? null : await prepareDatabase(config, orm, { migrateSchema: ownsOrm && config.migrateOnStart, tokens });
  const deps = composeAppDeps(config, orm, tokens, options);

  const schema = await buildTillgateSchema();
  const limits = requestLimitsFor(config);
  const graphql = await startGraphQLServer({
    schema,
    validationRules: queryLimitRules(limits),
    parseOptions: documentParseOptions(limits),
    ...persistedQuerySettings(config),
  });
  if (options.clusterMetrics) joinClusterMetrics();
  const metricsSource = options.clusterMetrics ? clusterMetricsText : localMetricsText;
  let draining = false;
  const app = createHttpApp({
    deps, graphql, requestLimits: requestLimitMiddleware(schema, limits), routers: [stripeWebhookRouter(deps), paymentLinksRouter(deps), opsRouter(deps, graphql)],
    metricsSource, isDraining: () => draining,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, '0.0.0.0', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  // In a cluster the primary serves METRICS_PORT, for all the processes at once.
  const metricsServer = options.clusterMetrics ? null : await startMetricsServer(config, metricsSource);
  logger.info('tillgate.started', { port, database: config.database.dialect, pid: process.pid });
  await warnWhenNoPartner(config, orm);
  const workers = config.workersInProcess ? new WorkerRunner(deps) : null;
  if (workers) {
    for (const worker of allWorkers(deps)) workers.register(worker);
    workers.start();
  }
  // The process that runs the workers keeps the database gauges fresh.
  const gauges = workers ? startOpsGaugesRefresher(deps) : null;

  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl: metricsServer?.url ?? null,
    deps,
    generatedAdminPassword,
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
      if (ownsOrm) await orm.close(true);
    },
  };
}
