import type { EntityManager } from '../../db/orm';
import { Reservation, ReservationStatus } from '../../entities';
import { transition } from '../state/transition';
import type { AppDeps } from '../app-deps';
import type { Worker } from './worker-runner';

/**
 * Releases ACTIVE reservations whose time is up (invariant 5: they expire
 * server-side). Every availability read already ignores them; this makes the
 * rows say so. One guarded statement: a reservation converted meanwhile by a
 * checkout is not ACTIVE any more and is left alone.
 */
export function releaseExpiredReservations(em: EntityManager, now: Date): Promise<number> {
  return transition(em.fork(), Reservation, { expiresAt: { $lte: now } }, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
}

export function createReservationExpiryWorker(deps: Pick<AppDeps, 'config' | 'stores'>): Worker {
  return {
    name: 'reservation-expiry',
    intervalMs: deps.config.workerPollIntervalMs,
    due: (now) => deps.stores.work.expiredReservationsDue(now),
    runOnce: releaseExpiredReservations,
  };
}
