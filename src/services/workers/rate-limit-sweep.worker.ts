import { SWEEP_AFTER_EXPIRY_MS } from '../../db/stores/rate-limit-store';
import type { AppDeps } from '../app-deps';
import { logger } from '../shared/logger';
import type { Worker } from './worker-runner';

/** How long the sweep rests after a round that deleted nothing. */
const SWEEP_REST_MS = 5 * 60_000;

/**
 * Deletes the rate limits' ended windows from the shared PostgreSQL table:
 * every client address, email and cart a limit ever counted leaves a row, and
 * the next count for a key restarts its window in place, so without this the
 * table only grows. One worker does it for every gateway process. Null where
 * the store needs no sweep (the embedded file counts in memory and drops ended
 * windows itself).
 */
export function createRateLimitSweepWorker(deps: Pick<AppDeps, 'db' | 'stores'>): Worker | null {
  const { sweep } = deps.stores.rateLimits;
  if (!sweep) return null;
  const cutoffAt = (now: Date) => now.getTime() - SWEEP_AFTER_EXPIRY_MS;
  return {
    name: 'rate-limit-sweep',
    intervalMs: SWEEP_REST_MS,
    due: (now) => sweep.due(cutoffAt(now)),
    async runOnce(em, now) {
      const deleted = await sweep.run(deps.db.unitOfWork(em), cutoffAt(now));
      if (deleted > 0) logger.debug('rate_limits.swept', { deleted });
      return deleted;
    },
  };
}
