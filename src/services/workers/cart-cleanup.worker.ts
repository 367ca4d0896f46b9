import type { AppDeps } from '../app-deps';
import { logger } from '../shared/logger';
import type { Worker } from './worker-runner';

/** Rows one statement deletes: a backlog drains in rounds, each one short, the runner re-running at once. */
export const CLEANUP_BATCH_SIZE = 500;

/**
 * How long the worker rests after a round that deleted nothing. Its due check
 * also says yes for old carts that still have lines (they are kept), so with
 * such carts around this is how often a round runs for nothing: rarely.
 */
const CLEANUP_REST_MS = 10 * 60_000;

/**
 * The cart-cleanup worker: each round deletes one batch of abandoned empty
 * carts and one of old released reservations, older than CART_RETENTION.
 * Anyone can create carts, so without it, cart spam grows the database without
 * bound. An empty cart holds nothing (no line, no reservation, and orders keep
 * only its id); a cart being changed right now is young again and stays
 * (CartStore.deleteAbandoned). Its due check is two index range probes (carts
 * by status and age, reservations by status and expiry), so an idle database
 * costs nothing beyond the runner's one shared statement per tick.
 */
export function createCartCleanupWorker(deps: Pick<AppDeps, 'config' | 'db' | 'stores'>): Worker {
  const { carts } = deps.stores;
  const cutoffAt = (now: Date) => new Date(now.getTime() - deps.config.cartRetentionMs);
  return {
    name: 'cart-cleanup',
    intervalMs: CLEANUP_REST_MS,
    due: (now) => carts.cleanupDue(cutoffAt(now)),
    async runOnce(em, now) {
      const uow = deps.db.unitOfWork(em);
      const cutoff = cutoffAt(now);
      const deletedCarts = await carts.deleteAbandoned(uow, cutoff, CLEANUP_BATCH_SIZE);
      const reservations = await carts.deleteReleasedReservations(uow, cutoff, CLEANUP_BATCH_SIZE);
      if (deletedCarts + reservations > 0) logger.info('cleanup.deleted', { carts: deletedCarts, reservations });
      return deletedCarts + reservations;
    },
  };
}
