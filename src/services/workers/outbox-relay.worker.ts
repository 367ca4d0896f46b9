import type { EntityManager } from '../../db/orm';
import type { AppDeps } from '../app-deps';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox-relay';
import { logger } from '../shared/logger';
import type { Worker } from './worker-runner';

export const OUTBOX_RELAY_WORKER = 'outbox-relay';

/** The relay as a polled worker, publishing to the configured (or injected) sink. */
export function outboxRelayWorker(deps: AppDeps, options: OutboxRelayOptions = {}): Worker {
  const relay = new OutboxRelay(deps, deps.outbox, { maxAttempts: deps.config.outboxMaxAttempts, ...options });
  return {
    name: OUTBOX_RELAY_WORKER,
    intervalMs: deps.config.workerPollIntervalMs,
    due: (now) => deps.stores.outbox.due(now),
    async runOnce(em: EntityManager, now: Date): Promise<number> {
      const round = await relay.runOnce(em, now);
      if (round.failed > 0) logger.warn('outbox.publish_failed', { ...round });
      return round.delivered + round.failed;
    },
  };
}
