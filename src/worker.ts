import './production-mode';
import 'reflect-metadata';
import { resolveAuthSecret } from './auth-secret';
import { composeAppDeps } from './composition-root';
import { loadConfigOrExit } from './config';
import { requireMigratedSchema } from './db/migration-status';
import { migrate, openOrm } from './db/orm';
import { TokenService } from './services/auth/tokens';
import { logger } from './services/shared/logger';
import { warnWhenBillingDayIsShort } from './services/subscriptions/billing-day-warning';
import { allWorkers, WorkerRunner } from './services/workers';
import { startWorkerEndpoints } from './http/worker-endpoints';
import { startOpsGaugesRefresher } from './observability/ops-gauges';

/**
 * `npm run worker`: the background workers without HTTP, for deployments that
 * run gateway processes with WORKERS=off and M worker processes beside them.
 * Every worker claims its rows in the database, so any number can run at once.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const orm = await openOrm(config.database);
  // Same schema as the gateway; with MIGRATE_ON_START=off a release runs `npm run migrate` once instead, first.
  if (config.migrateOnStart) await migrate(orm);
  else await requireMigratedSchema(orm);
  // Same payment provider as the gateway process: saga recovery may need to ask Stripe.
  const deps = composeAppDeps(config, orm, new TokenService(resolveAuthSecret(config)));
  const runner = new WorkerRunner(deps);
  for (const worker of allWorkers(deps)) runner.register(worker);
  runner.start();
  const gauges = startOpsGaugesRefresher(deps);
  const endpoints = await startWorkerEndpoints(config, deps.db);
  logger.info('worker.started', { database: config.database.dialect, workers: runner.workerNames, url: endpoints.url, pid: process.pid });
  warnWhenBillingDayIsShort(config);

  const shutdown = (signal: string) => {
    logger.info('worker.stopping', { signal });
    endpoints.drain();
    Promise.all([runner.stop(), gauges.stop()])
      .then(() => endpoints.close())
      .then(() => orm.close(true))
      .then(
        () => {
          logger.info('worker.stopped', { signal });
          process.exit(0);
        },
        (error: unknown) => {
          logger.error('worker.stop_failed', { error });
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Tillgate worker failed to start: ${message}`);
  process.exit(1);
});
