import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { isPostgres, RATE_LIMIT_TABLE, type Orm } from '../../db/orm';

export type Take = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export interface Reading {
  consumed: number;
  msLeft: number;
}

/**
 * One named budget over rate-limiter-flexible: `points` per fixed window of
 * `durationMs`, counted per key. Hides the library's habit of rejecting a
 * refused consume with a result object (and a store fault with an Error).
 */
export class Counter {
  constructor(
    readonly name: string,
    readonly points: number,
    readonly durationMs: number,
    private readonly limiter: RateLimiterAbstract,
  ) {}

  /** Spends one point; refused once the window's points are spent. */
  async take(key: string): Promise<Take> {
    try {
      const result = await this.limiter.consume(key);
      return { allowed: true, remaining: result.remainingPoints };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(refusal.msBeforeNext, 0) };
      throw refusal;
    }
  }

  /** Returns a point taken for an attempt that turned out not to count (a successful logIn). */
  async giveBack(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  /** Counts one without refusing; answers the window's count so far. */
  async add(key: string): Promise<number> {
    return (await this.limiter.penalty(key, 1)).consumedPoints;
  }

  /** Refuses the key outright for `ms`, whatever its count. */
  async block(key: string, ms: number): Promise<void> {
    await this.limiter.block(key, ms / 1000);
  }

  /** Forgets the key: its window starts afresh. */
  async clear(key: string): Promise<void> {
    await this.limiter.delete(key);
  }

  /** The key's count in its live window, or null when it has none. */
  async read(key: string): Promise<Reading | null> {
    const result = await this.limiter.get(key);
    // The memory store may still hold a window that ended (its timer is late): that is no window.
    if (!result || result.msBeforeNext <= 0) return null;
    return { consumed: result.consumedPoints, msLeft: result.msBeforeNext };
  }
}

export type CounterFactory = (name: string, points: number, durationMs: number) => Counter;

/**
 * Counters in PostgreSQL when there is one, so that every gateway process
 * shares each limit; in process memory on the embedded libSQL file, which
 * serves one process only. Each counter's name is its key prefix in the table.
 */
export function counterFactory(orm: Orm): CounterFactory {
  // The ORM, not the config, says where the data is (tests hand a PostgreSQL ORM to a default config).
  if (!isPostgres(orm.em)) {
    return (name, points, durationMs) => new Counter(name, points, durationMs, new RateLimiterMemory({ keyPrefix: name, points, duration: durationMs / 1000 }));
  }
  // The table comes from our migration (Migration20261202153000), not from the library's CREATE TABLE
  // at start-up, which N processes would race and which needs DDL rights the serving role may lack.
  // The ORM's own pool (knex over pg): no second pool to size and no second set of credentials.
  const knex = orm.em.getConnection().getKnex();
  let sweeping = false;
  return (name, points, durationMs) => {
    // The sweep deletes every long-expired row of the shared table, so one counter running it is enough.
    const sweeps = !sweeping;
    sweeping = true;
    const limiter = new RateLimiterPostgres({
      storeClient: knex, storeType: 'knex', tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: sweeps,
      keyPrefix: name, points, duration: durationMs / 1000,
    });
    return new Counter(name, points, durationMs, limiter);
  };
}
