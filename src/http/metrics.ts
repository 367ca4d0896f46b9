import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { Config } from '../config';
import { logger } from '../services/shared/logger';
import { localMetricsText } from '../observability/cluster-metrics';
import { registry } from '../observability/metrics';
import { boundAddress, listenOn, localBaseUrl } from './listen';
import { loadSafelist, safelistFile } from './persisted-queries';

/** Where a scrape's text comes from: this process, or (in a gateway cluster) the sum over all of them. */
export type MetricsSource = () => Promise<string>;

/**
 * Operation names are chosen by clients: as a label they would let anyone add
 * series without bound (and fill the scraper's memory). The label is the name
 * only when the server knows it — an operation of its own documents, which are
 * the operations of the client package's manifest, which is the partner safelist
 * (client/src/generated/persisted-documents.json) — `anonymous` without a
 * name, and `other` for every other name.
 */
export const OTHER_OPERATION = 'other';

export function readKnownOperationNames(file: string = safelistFile()): ReadonlySet<string> {
  if (!existsSync(file)) {
    logger.warn('metrics.no_operation_list', { file, effect: `every named operation is labelled ${OTHER_OPERATION}` });
    return new Set();
  }
  return loadSafelist(file).operationNames;
}

let knownOperations: ReadonlySet<string> | null = null;

export function operationLabel(operationName: string | null | undefined): string {
  if (!operationName) return 'anonymous';
  knownOperations ??= readKnownOperationNames();
  return knownOperations.has(operationName) ? operationName : OTHER_OPERATION;
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * GET /metrics. With METRICS_TOKEN set, only `Authorization: Bearer <token>`
 * reads it; anything else gets 401 and no counters (they tell request volumes
 * and failure rates to whoever asks).
 */
export function metricsEndpoint(token: string | null, source: MetricsSource = localMetricsText): RequestHandler {
  return async (req, res) => {
    if (token !== null) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!sameSecret(given, token)) {
        res.status(401).set('www-authenticate', 'Bearer realm="metrics"').type('text/plain').send('Unauthorized\n');
        return;
      }
    }
    try {
      const text = await source();
      res.type(registry.contentType).send(text);
    } catch (error) {
      logger.error('metrics.unavailable', { error });
      res.status(503).type('text/plain').send('Metrics unavailable\n');
    }
  };
}

export interface MetricsServer {
  url: string;
  /** Where it listens (HOST). */
  address: AddressInfo;
  close(): Promise<void>;
}

/**
 * METRICS_PORT: /metrics on a listener of its own, which a deployment keeps
 * off the public network; the public port then no longer serves it. The token,
 * if set, is asked there too.
 */
export async function startMetricsServer(
  config: Pick<Config, 'metricsPort' | 'metricsToken' | 'host'>,
  source: MetricsSource = localMetricsText,
): Promise<MetricsServer | null> {
  if (config.metricsPort === null) return null;
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsEndpoint(config.metricsToken, source));
  const server = await listenOn(app, config.metricsPort, config.host);
  return {
    url: `${localBaseUrl(server)}/metrics`,
    address: boundAddress(server),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
