import type { RateLimitStore } from '../../db/stores/rate-limit-store';

export type Take = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export interface Reading {
  consumed: number;
  msLeft: number;
}

/** The points column is a 32-bit integer: a block stores at most this. */
const MAX_STORED_POINTS = 2_147_483_647;

/**
 * One named budget: `points` per fixed window of `durationMs`, counted per
 * key in the store (the shared table on PostgreSQL, memory on the embedded
 * file). Its keys are `<name>:<key>` there, so counters share one store. The
 * window's clock is this process's (Date.now), as for every other deadline
 * the gateway keeps.
 */
export class Counter {
  constructor(
    readonly name: string,
    readonly points: number,
    readonly durationMs: number,
    private readonly store: RateLimitStore,
  ) {}

  /** Spends one point; refused once the window's points are spent (a refused take still counts: it was an attempt). */
  async take(key: string): Promise<Take> {
    const now = Date.now();
    const window = await this.store.add(this.stored(key), 1, this.durationMs, now);
    if (window.points <= this.points) return { allowed: true, remaining: this.points - window.points };
    return { allowed: false, retryAfterMs: Math.max(window.expiresAt - now, 0) };
  }

  /** Returns a point taken for an attempt that turned out not to count (a successful logIn). */
  async giveBack(key: string): Promise<void> {
    await this.store.takeBack(this.stored(key), Date.now());
  }

  /** Counts one without refusing; answers the window's count so far. */
  async add(key: string): Promise<number> {
    return (await this.store.add(this.stored(key), 1, this.durationMs, Date.now())).points;
  }

  /** Refuses the key outright for `ms`, whatever its count. */
  async block(key: string, ms: number): Promise<void> {
    await this.store.set(this.stored(key), Math.min(this.points + 1, MAX_STORED_POINTS), Date.now() + ms);
  }

  /** Forgets the key: its window starts afresh. */
  async clear(key: string): Promise<void> {
    await this.store.delete(this.stored(key));
  }

  /** The key's count in its live window, or null when it has none. */
  async read(key: string): Promise<Reading | null> {
    const now = Date.now();
    const window = await this.store.get(this.stored(key), now);
    return window ? { consumed: window.points, msLeft: window.expiresAt - now } : null;
  }

  private stored(key: string): string {
    return `${this.name}:${key}`;
  }
}

export type CounterFactory = (name: string, points: number, durationMs: number) => Counter;

/**
 * Counters in the store: the shared table on PostgreSQL, so that every
 * gateway process shares each limit; process memory on the embedded libSQL
 * file, which serves one process only.
 */
export function counterFactory(store: RateLimitStore): CounterFactory {
  return (name, points, durationMs) => new Counter(name, points, durationMs, store);
}
