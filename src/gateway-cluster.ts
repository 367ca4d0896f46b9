import cluster, { type Worker } from 'node:cluster';
import { prepareDatabase } from './app';
import { resolveAuthSecret } from './auth-secret';
import type { Config } from './config';
import { openOrm } from './db/orm';
import { startMetricsServer } from './http/metrics';
import { serveClusterMetrics } from './observability/cluster-metrics';
import type { StartUpAdmin } from './services/auth/start-up-admin';
import { TokenService } from './services/auth/tokens';
import { logger } from './services/shared/logger';

/** Set on the gateway processes a primary forks; their database is already prepared. */
export const GATEWAY_CHILD_ENV = 'TILLGATE_GATEWAY_CHILD';

export const isGatewayChild = (): boolean => cluster.isWorker && process.env[GATEWAY_CHILD_ENV] === '1';

/**
 * GATEWAY_PROCESSES above 1 (PostgreSQL only): this primary prepares the
 * database once (migrations with MIGRATE_ON_START, admin, demo data — never
 * raced by N processes), then forks the gateway processes, which share PORT. Every guarantee already
 * lives in the database (row locks, unique indexes, SKIP LOCKED claims), so the
 * processes need nothing from each other. The in-process background workers
 * run in the first process only; a process that dies is replaced. SIGTERM is
 * passed on, and the primary exits once every process has drained. The
 * primary also adds up every process's metrics for /metrics (and serves
 * METRICS_PORT itself when set). The processes bind HOST, which the primary's
 * shared listening socket then holds.
 */
export async function runGatewayPrimary(config: Config): Promise<{ admin: StartUpAdmin; stopped: Promise<void> }> {
  const orm = await openOrm(config.database);
  const admin = await prepareDatabase(config, orm, { migrateSchema: config.migrateOnStart, tokens: new TokenService(resolveAuthSecret(config)) }).finally(() =>
    orm.close(true),
  );

  // One /metrics for the whole gateway: any process asks this primary, which adds up every process's series.
  const clusterMetrics = serveClusterMetrics();
  const metricsServer = await startMetricsServer(config, clusterMetrics);

  let stopping = false;
  const live = new Set<Worker>();
  /** Resolves when the process listens; rejects when it exits before it ever did (a start-up fault, not a crash to heal). */
  const fork = (index: number): Promise<void> =>
    new Promise((listening, failed) => {
      const worker = cluster.fork({ [GATEWAY_CHILD_ENV]: '1', WORKERS: index === 0 && config.workersInProcess ? 'on' : 'off' });
      let served = false;
      live.add(worker);
      worker.once('listening', () => {
        served = true;
        listening();
      });
      worker.once('exit', (code, signal) => {
        live.delete(worker);
        if (stopping) return;
        if (!served) {
          failed(new Error(`gateway process ${index} exited during start-up (code ${code}, signal ${signal})`));
          return;
        }
        logger.error('gateway.process_died', { index, pid: worker.process.pid, code, signal });
        void fork(index).catch((error: unknown) => logger.error('gateway.restart_failed', { index, error }));
      });
    });
  await Promise.all(Array.from({ length: config.gatewayProcesses }, (_, index) => fork(index)));

  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info('gateway.stopping', { signal, processes: live.size });
      const done = () => void (metricsServer ? metricsServer.close().then(resolve) : resolve());
      if (live.size === 0) done();
      for (const worker of live) {
        worker.once('exit', () => live.size === 0 && done());
        worker.process.kill(signal);
      }
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  return { admin, stopped };
}
