import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

/**
 * The rate limits' counts: one fixed window per key, `points` counted until
 * `expiresAt` (epoch milliseconds). Every time is the caller's clock, passed
 * in, so that the gateway decides when a window ends in one place whatever
 * the store (the tests move that clock).
 */
export interface CountWindow {
  points: number;
  expiresAt: number;
}

/** The deletion of ended windows that nothing else removes (a table shared by every process). */
export interface ExpiredCountSweep {
  /** Whether `run` would find a window that ended before `cutoff` (an index probe). */
  due(cutoff: number): DueCheck;
  /**
   * Deletes up to SWEEP_BATCH_SIZE windows that ended before `cutoff`, in one
   * statement; answers how many. A window an add restarted meanwhile is no
   * longer ended when the delete re-checks the row it locks, and stays.
   */
  run(uow: UnitOfWork, cutoff: number): Promise<number>;
}

/** Who a checkout's declines count against, from its cart. */
export interface CartOwner {
  customerId: string | null;
  email: string | null;
}

/**
 * The rate limits' counters. A count is kept whether or not the attempt it
 * guards commits, so the counter methods never join a transaction and take
 * no unit of work.
 */
export interface RateLimitStore {
  /**
   * Adds `delta` to the key's live window and answers the window; a key
   * without one (none yet, or it ended) starts a window of `windowMs` at `now`
   * holding `delta`. Atomic: concurrent adds from any process never lose one.
   */
  add(key: string, delta: number, windowMs: number, now: number): Promise<CountWindow>;
  /** Takes one back from the key's live window, never below zero; a key without one is left alone. */
  takeBack(key: string, now: number): Promise<void>;
  /** The key holds `points` until `expiresAt`, whatever it held before (a lockout). */
  set(key: string, points: number, expiresAt: number): Promise<void>;
  /** The key's live window, or null. */
  get(key: string, now: number): Promise<CountWindow | null>;
  delete(key: string): Promise<void>;
  /** The sweep of ended windows, or null where the store drops them itself. */
  readonly sweep: ExpiredCountSweep | null;
  /** The cart's customer and guest email, or null when there is no such cart: one read of its row. */
  cartOwner(uow: UnitOfWork, cartId: string): Promise<CartOwner | null>;
}

/**
 * The PostgreSQL table the counts live in, shared by every gateway process:
 * made by our migrations (Migration20261202153000, its expiry index
 * Migration20261204090000), with no entity, so the ORM's schema diff is told
 * to skip it (orm.ts).
 */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** Expired rows are swept only this long after their end, so a gateway whose clock runs behind never loses a live count. */
export const SWEEP_AFTER_EXPIRY_MS = 3_600_000;
/** Rows one sweep statement deletes: a backlog drains in short statements. */
export const SWEEP_BATCH_SIZE = 500;
