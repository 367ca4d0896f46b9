import type { Config } from '../../config';
import { isPostgres, type EntityManager } from '../../db/orm';
import { CartStatus, ReservationStatus } from '../../entities';
import { runWrite } from '../shared/sql-rows';
import { logger } from '../shared/logger';
import { sqlTime } from '../shared/batch-sql';
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
 * Deletes up to `limit` OPEN carts without lines that nobody has touched since
 * `cutoff`, in one statement. Anyone can create carts, so without this, cart
 * spam grows the database without bound.
 *
 * A cart being changed right now is safe: every cart change first bumps
 * `updated_at` on the cart row, and the outer condition is checked again on the
 * row the delete finally locks (PostgreSQL re-reads a row updated meanwhile),
 * so a cart that just got a line is no longer old and stays. A delete that wins
 * the lock instead leaves the change nothing to claim: it answers NOT_FOUND.
 * SKIP LOCKED leaves carts another transaction holds to a later round. libSQL
 * has one writer, so there the statement runs whole under its lock. An empty
 * cart holds nothing: no line, no reservation, and orders keep only its id.
 */
export function deleteAbandonedCarts(em: EntityManager, cutoff: Date, limit = CLEANUP_BATCH_SIZE): Promise<number> {
  const old = sqlTime(em, cutoff);
  const pick = 'select c.id from carts c where c.status in (?) and c.updated_at < ?'
    + ` and not exists (select 1 from cart_lines l where l.cart_id = c.id) order by c.updated_at limit ${limit}`;
  const recheck = 'status in (?) and updated_at < ?';
  const params = [CartStatus.OPEN, old, CartStatus.OPEN, old];
  // PostgreSQL picks the batch once, in a materialized CTE: as a plain `in (subquery)` with SKIP
  // LOCKED the planner may run the pick again for each row, skipping the rows this very statement
  // has locked, and delete far more than one batch. libSQL runs a statement that starts with WITH
  // as a read (no changed-row count), and has no row locks to skip anyway.
  const sql = isPostgres(em)
    ? `with batch as materialized (${pick} for update skip locked) delete from carts where id in (select id from batch) and ${recheck}`
    : `delete from carts where id in (${pick}) and ${recheck}`;
  return runWrite(em, sql, params);
}

/**
 * Deletes up to `limit` RELEASED reservations that expired before `cutoff`, in
 * one statement. RELEASED is final (transition-tables.ts) and no availability
 * read counts such a row, so it is only history; CONVERTED ones are kept, as a
 * cancellation puts their units back.
 */
export function deleteReleasedReservations(em: EntityManager, cutoff: Date, limit = CLEANUP_BATCH_SIZE): Promise<number> {
  return runWrite(
    em,
    `delete from reservations where id in (select id from reservations where status = ? and expires_at < ? order by expires_at limit ${limit})`,
    [ReservationStatus.RELEASED, sqlTime(em, cutoff)],
  );
}

/**
 * The cart-cleanup worker: each round deletes one batch of abandoned empty
 * carts and one of old released reservations, older than CART_RETENTION. Its
 * due check is two index range probes (carts by status and age, reservations
 * by status and expiry), so an idle database costs nothing beyond the
 * runner's one shared statement per tick.
 */
export function createCartCleanupWorker(config: Pick<Config, 'cartRetentionMs'>): Worker {
  const cutoffAt = (now: Date) => new Date(now.getTime() - config.cartRetentionMs);
  return {
    name: 'cart-cleanup',
    intervalMs: CLEANUP_REST_MS,
    due: (em, now) => {
      const cutoff = sqlTime(em, cutoffAt(now));
      return {
        sql: 'exists (select 1 from carts where status = ? and updated_at < ?) or exists (select 1 from reservations where status = ? and expires_at < ?)',
        params: [CartStatus.OPEN, cutoff, ReservationStatus.RELEASED, cutoff],
      };
    },
    async runOnce(em, now) {
      const cutoff = cutoffAt(now);
      const carts = await deleteAbandonedCarts(em, cutoff);
      const reservations = await deleteReleasedReservations(em, cutoff);
      if (carts + reservations > 0) logger.info('cleanup.deleted', { carts, reservations });
      return carts + reservations;
    },
  };
}
