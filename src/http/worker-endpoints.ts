import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { logger } from '../services/shared/logger';
import { boundAddress, listenOn, localBaseUrl } from './listen';
import { metricsEndpoint } from './metrics';

export interface WorkerEndpoints {
  url: string;
  /** Where it listens (HOST). */
  address: AddressInfo;
  /** /readyz answers 503 from now on (shutdown began). */
  drain(): void;
  close(): Promise<void>;
}

/**
 * `npm run worker`'s own small listener on WORKER_PORT: /healthz (alive),
 * /readyz (database reachable, not shutting down) and /metrics (this
 * process's series, with the gauges it refreshes; METRICS_TOKEN asked as on the gateway).
 */
export async function startWorkerEndpoints(config: Pick<Config, 'workerPort' | 'metricsToken' | 'database' | 'host'>, db: Database): Promise<WorkerEndpoints> {
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await db.ping();
      res.json({ status: 'ready', database: config.database.dialect });
    } catch (error) {
      logger.error('readyz.database_unreachable', { error });
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/metrics', metricsEndpoint(config.metricsToken));
  const server = await listenOn(app, config.workerPort, config.host);
  return {
    url: localBaseUrl(server),
    address: boundAddress(server),
    drain: () => void (draining = true),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
