import type { Orm } from '../../db/orm';
import { isPostgres } from '../../db/orm';
import { expiredCountsDue, SWEEP_AFTER_EXPIRY_MS, sweepExpiredCounts } from '../../db/rate-limit-counters';
import { logger } from '../shared/logger';
import type { Worker } from './worker-runner';

/** How long the sweep rests after a round that deleted nothing. */
const SWEEP_REST_MS = 5 * 60_000;

/**
 * Deletes the rate limits' ended windows from the shared PostgreSQL table:
 * every client address, email and cart a limit ever counted leaves a row, and
 * the next count for a key restarts its window in place, so without this the
 * table only grows. One worker does it for every gateway process. The
 * embedded file counts in memory and sweeps there (db/rate-limit-counters.ts).
 */
export function createRateLimitSweepWorker(orm: Orm): Worker | null {
  if (!isPostgres(orm.em)) return null;
  const cutoffAt = (now: Date) => now.getTime() - SWEEP_AFTER_EXPIRY_MS;
  return {
    name: 'rate-limit-sweep',
    intervalMs: SWEEP_REST_MS,
    due: (_em, now) => expiredCountsDue(cutoffAt(now)),
    async runOnce(em, now) {
      const deleted = await sweepExpiredCounts(em, cutoffAt(now));
      if (deleted > 0) logger.debug('rate_limits.swept', { deleted });
      return deleted;
    },
  };
}
