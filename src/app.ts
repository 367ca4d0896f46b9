import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Config } from './config';
import { migrate, openOrm, type Orm, type OrmOptions } from './db/orm';
import { createHttpApp } from './http/app';
import { startGraphQLServer } from './http/graphql-server';
import { metrics } from './http/metrics';
import { buildTillgateSchema } from './schema/build-schema';
import type { AppDeps } from './schema/context';
import { AuthService } from './services/auth/auth.service';
import { TokenService } from './services/auth/tokens';
import { systemClock, type Clock } from './services/shared/clock';
import { logger } from './services/shared/logger';

export interface StartOptions extends OrmOptions {
  clock?: Clock;
  /** An ORM opened by the caller (tests share one); otherwise opened from config. */
  orm?: Orm;
  /** Extensions made available to services (payment gateway, outbox sink, ...). */
  extensions?: Record<string, unknown>;
}

export interface Tillgate {
  url: string;
  deps: AppDeps;
  /** The admin password when none was configured: printed once, never stored in plain text. */
  generatedAdminPassword: string | null;
  close(): Promise<void>;
}

export const DEFAULT_ADMIN_EMAIL = 'admin@tillgate.local';

/** On the embedded default the signing key is generated once and kept beside the data. */
function resolveAuthSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  const file = join(config.dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export async function startTillgate(config: Config, options: StartOptions = {}): Promise<Tillgate> {
  if (config.database.dialect === 'libsql' && config.database.url !== ':memory:') mkdirSync(config.dataDir, { recursive: true });
  const ownsOrm = !options.orm;
  const onQuery = config.sqlStatementMetrics
    ? (sql: string) => {
        metrics.increment('sql_statements_total');
        options.onQuery?.(sql);
      }
    : options.onQuery;
  const orm = options.orm ?? (await openOrm(config.database, { ...options, onQuery }));
  if (ownsOrm) await migrate(orm);

  const tokens = new TokenService(resolveAuthSecret(config));
  const deps: AppDeps = { config, orm, tokens, clock: options.clock ?? systemClock, extensions: { ...options.extensions } };

  const generatedAdminPassword = config.adminPassword ? null : randomBytes(12).toString('base64url');
  await new AuthService(orm.em.fork(), tokens).ensureAdmin(config.adminEmail ?? DEFAULT_ADMIN_EMAIL, config.adminPassword ?? generatedAdminPassword!);

  const graphql = await startGraphQLServer({ schema: await buildTillgateSchema() });
  const app = createHttpApp({ deps, graphql });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, '0.0.0.0', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('tillgate.started', { port, database: config.database.dialect });

  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    generatedAdminPassword,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await graphql.stop();
      if (ownsOrm) await orm.close(true);
    },
  };
}
