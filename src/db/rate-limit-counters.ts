import type { EntityManager, Orm } from './orm';
import { isPostgres } from './dialect';
import { preparedRows, preparedWrite } from './prepared-statements';

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

export interface RateLimitCounterStore {
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

/*
 * One statement per operation. The upsert decides in the row's own lock
 * whether the window still runs (`expire > now`), so two processes adding to
 * a key at once both count, and the one that finds the window over restarts
 * it. They go through the ORM's connection (preparedRows / preparedWrite), so
 * DATABASE_PREPARED_STATEMENTS, the query log and the statement counter apply
 * to them as to every other statement: the library this replaces named its
 * statements on pooled connections whatever the switch said, which PgBouncer
 * in transaction mode answers with 42P05 and 26000.
 */
const ADD = `insert into ${RATE_LIMIT_TABLE} as c (key, points, expire) values (?, ?, ?)
  on conflict (key) do update set
    points = case when c.expire > ? then c.points + excluded.points else excluded.points end,
    expire = case when c.expire > ? then c.expire else excluded.expire end
  returning points, expire`;
const TAKE_BACK = `update ${RATE_LIMIT_TABLE} set points = points - 1 where key = ? and expire > ? and points > 0`;
const SET = `insert into ${RATE_LIMIT_TABLE} as c (key, points, expire) values (?, ?, ?)
  on conflict (key) do update set points = excluded.points, expire = excluded.expire`;
const GET = `select points, expire from ${RATE_LIMIT_TABLE} where key = ? and expire > ?`;
const DELETE = `delete from ${RATE_LIMIT_TABLE} where key = ?`;

interface CountRow {
  points: number | string;
  expire: number | string;
}

const windowOf = (row: CountRow): CountWindow => ({ points: Number(row.points), expiresAt: Number(row.expire) });

class PostgresCounterStore implements RateLimitCounterStore {
  /**
   * A fork that never joins a transaction: a count is kept whether or not the
   * attempt it guards commits, as it was when the counts had their own pool.
   * It holds no entities, so one serves every request.
   */
  constructor(private readonly em: EntityManager) {}

  async add(key: string, delta: number, windowMs: number, now: number): Promise<CountWindow> {
    const [row] = await preparedRows<CountRow>(this.em, ADD, [key, delta, now + windowMs, now, now]);
    return windowOf(row);
  }

  async takeBack(key: string, now: number): Promise<void> {
    await preparedWrite(this.em, TAKE_BACK, [key, now]);
  }

  async set(key: string, points: number, expiresAt: number): Promise<void> {
    await preparedWrite(this.em, SET, [key, points, expiresAt]);
  }

  async get(key: string, now: number): Promise<CountWindow | null> {
    const [row] = await preparedRows<CountRow>(this.em, GET, [key, now]);
    return row ? windowOf(row) : null;
  }

  async delete(key: string): Promise<void> {
    await preparedWrite(this.em, DELETE, [key]);
  }
}

/** How often the memory store drops ended windows: the map never grows past a minute of keys that are over. */
const MEMORY_SWEEP_EVERY_MS = 60_000;

/**
 * The same windows in process memory, for the embedded libSQL file, which
 * serves one process only (a table would cost each guarded mutation a write
 * to the one file every checkout also writes).
 */
export class MemoryCounterStore implements RateLimitCounterStore {
  private readonly windows = new Map<string, CountWindow>();
  private nextSweepAt = 0;

  async add(key: string, delta: number, windowMs: number, now: number): Promise<CountWindow> {
    this.sweep(now);
    const live = this.live(key, now);
    const next = live ? { points: live.points + delta, expiresAt: live.expiresAt } : { points: delta, expiresAt: now + windowMs };
    this.windows.set(key, next);
    return { ...next };
  }

  async takeBack(key: string, now: number): Promise<void> {
    const live = this.live(key, now);
    if (live && live.points > 0) live.points -= 1;
  }

  async set(key: string, points: number, expiresAt: number): Promise<void> {
    this.windows.set(key, { points, expiresAt });
  }

  async get(key: string, now: number): Promise<CountWindow | null> {
    const live = this.live(key, now);
    return live ? { ...live } : null;
  }

  async delete(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private live(key: string, now: number): CountWindow | null {
    const window = this.windows.get(key);
    return window && window.expiresAt > now ? window : null;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + MEMORY_SWEEP_EVERY_MS;
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
  }
}

/** The table on PostgreSQL, shared by every gateway process; process memory on the embedded libSQL file. */
export function rateLimitCounterStore(orm: Orm): RateLimitCounterStore {
  // The ORM, not the config, says where the data is (tests hand a PostgreSQL ORM to a default config).
  if (!isPostgres(orm.em)) return new MemoryCounterStore();
  return new PostgresCounterStore(orm.em.fork({ disableContextResolution: true }));
}

/** Whether the sweep would find rows that ended before `cutoff` (an index probe: see the sweep worker). */
export const expiredCountsDue = (cutoff: number) => ({ sql: `exists (select 1 from ${RATE_LIMIT_TABLE} where expire < ?)`, params: [cutoff] });

/**
 * Deletes up to SWEEP_BATCH_SIZE rows whose window ended before `cutoff`, in
 * one statement; answers how many. The outer condition is checked again on
 * the row the delete locks, so a window that an add restarted meanwhile stays.
 */
export function sweepExpiredCounts(em: EntityManager, cutoff: number): Promise<number> {
  return preparedWrite(
    em,
    `delete from ${RATE_LIMIT_TABLE} where key in (select key from ${RATE_LIMIT_TABLE} where expire < ? order by expire limit ${SWEEP_BATCH_SIZE}) and expire < ?`,
    [cutoff, cutoff],
  );
}
