import type { Database } from '../../database';
import { intOf } from '../../sql/row-values';
import type { Sql } from '../../sql/sql';
import type { UnitOfWork } from '../../unit-of-work';
import { RATE_LIMIT_TABLE, SWEEP_BATCH_SIZE, type CountWindow, type ExpiredCountSweep } from '../rate-limit-store';
import { RateLimitStoreBase } from '../shared/rate-limit-store.base';

/*
 * One statement per operation. The upsert decides in the row's own lock
 * whether the window still runs (`expire > now`), so two processes adding to
 * a key at once both count, and the one that finds the window over restarts
 * it. They go through the ORM's connection (Sql), so
 * DATABASE_PREPARED_STATEMENTS, the query log and the statement counter apply
 * to them as to every other statement (a pooler in transaction mode answers a
 * named statement it was not asked to keep with 42P05 and 26000).
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
const SWEEP = `delete from ${RATE_LIMIT_TABLE} where key in (select key from ${RATE_LIMIT_TABLE} where expire < ? order by expire limit ${SWEEP_BATCH_SIZE}) and expire < ?`;

interface CountRow {
  points: number | string;
  expire: number | string;
}

const windowOf = (row: CountRow): CountWindow => ({ points: intOf(row.points), expiresAt: intOf(row.expire) });

/** The table, shared by every gateway process; one worker sweeps its ended windows. */
export class PgRateLimitStore extends RateLimitStoreBase {
  /**
   * On a fork that never joins a transaction: a count is kept whether or not
   * the attempt it guards commits. It holds no entities, so one serves every
   * request.
   */
  private readonly counts: Sql;

  readonly sweep: ExpiredCountSweep = {
    due: (cutoff) => ({ sql: `exists (select 1 from ${RATE_LIMIT_TABLE} where expire < ?)`, params: [cutoff] }),
    run: (uow: UnitOfWork, cutoff: number) => uow.sql.write(SWEEP, [cutoff, cutoff]),
  };

  constructor(db: Database) {
    super();
    this.counts = db.sql(db.orm.em.fork({ disableContextResolution: true }));
  }

  async add(key: string, delta: number, windowMs: number, now: number): Promise<CountWindow> {
    const [row] = await this.counts.rows<CountRow>(ADD, [key, delta, now + windowMs, now, now]);
    return windowOf(row);
  }

  async takeBack(key: string, now: number): Promise<void> {
    await this.counts.write(TAKE_BACK, [key, now]);
  }

  async set(key: string, points: number, expiresAt: number): Promise<void> {
    await this.counts.write(SET, [key, points, expiresAt]);
  }

  async get(key: string, now: number): Promise<CountWindow | null> {
    const [row] = await this.counts.rows<CountRow>(GET, [key, now]);
    return row ? windowOf(row) : null;
  }

  async delete(key: string): Promise<void> {
    await this.counts.write(DELETE, [key]);
  }
}
