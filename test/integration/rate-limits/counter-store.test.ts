import { randomUUID } from 'node:crypto';
import { Database } from '../../../src/db/database';
import { isPostgres, type Orm } from '../../../src/db/orm';
import { createStores, type Stores } from '../../../src/db/stores';
import { RATE_LIMIT_TABLE, SWEEP_AFTER_EXPIRY_MS, type RateLimitStore } from '../../../src/db/stores/rate-limit-store';
import { createRateLimitSweepWorker } from '../../../src/services/workers/rate-limit-sweep.worker';
import { openTestOrm } from '../../support/test-database';

const MINUTE = 60_000;

/**
 * The rate limits' windows, in the shared table on PostgreSQL (directly, and
 * through PgBouncer in the pgbouncer project) and in memory on libSQL. Every
 * time is passed in, so the windows' ends are exact without moving a clock.
 */
describe('rate-limit counter store', () => {
  let orm: Orm;
  let stores: Stores;
  let store: RateLimitStore;
  beforeAll(async () => {
    orm = await openTestOrm();
    stores = createStores(new Database(orm));
    store = stores.rateLimits;
  });
  afterAll(() => orm.close(true));
  const key = (label: string) => `test-${label}:${randomUUID()}`;
  // Around the real now: the sweep's test below sweeps hours back and must not reach these.
  const T0 = Math.floor(Date.now() / 1_000) * 1_000;

  it('when a key is added to within its window, then the window counts on and keeps its end; once the window has ended, the next add starts a new one', async () => {
    const k = key('window');
    expect(await store.add(k, 1, MINUTE, T0)).toEqual({ points: 1, expiresAt: T0 + MINUTE });
    expect(await store.add(k, 1, MINUTE, T0 + 30_000)).toEqual({ points: 2, expiresAt: T0 + MINUTE });
    expect(await store.add(k, 1, MINUTE, T0 + MINUTE - 1)).toEqual({ points: 3, expiresAt: T0 + MINUTE });

    expect(await store.add(k, 1, MINUTE, T0 + MINUTE)).toEqual({ points: 1, expiresAt: T0 + 2 * MINUTE });
    expect(await store.get(k, T0 + MINUTE)).toEqual({ points: 1, expiresAt: T0 + 2 * MINUTE });
  });

  it('when a point is taken back, then the live window counts one less, never below zero, and an ended window is left alone', async () => {
    const k = key('take-back');
    await store.add(k, 2, MINUTE, T0);
    await store.takeBack(k, T0 + 1);
    expect(await store.get(k, T0 + 1)).toEqual({ points: 1, expiresAt: T0 + MINUTE });
    await store.takeBack(k, T0 + 2);
    await store.takeBack(k, T0 + 3);
    expect(await store.get(k, T0 + 3)).toEqual({ points: 0, expiresAt: T0 + MINUTE });

    await store.add(k, 1, MINUTE, T0 + 4);
    await store.takeBack(k, T0 + MINUTE);
    // Taken back after its end, the point would have been carried into the next window as -1.
    expect(await store.add(k, 1, MINUTE, T0 + MINUTE)).toEqual({ points: 1, expiresAt: T0 + 2 * MINUTE });
  });

  it('when a key is set, then it holds that count until the given end, whatever it held; deleted, it has no window', async () => {
    const k = key('set');
    await store.add(k, 1, MINUTE, T0);
    await store.set(k, 11, T0 + 10 * MINUTE);
    expect(await store.get(k, T0 + 5 * MINUTE)).toEqual({ points: 11, expiresAt: T0 + 10 * MINUTE });
    expect(await store.get(k, T0 + 10 * MINUTE)).toBeNull();

    await store.set(k, 11, T0 + 10 * MINUTE);
    await store.delete(k);
    expect(await store.get(k, T0)).toBeNull();
    expect(await store.add(k, 1, MINUTE, T0)).toEqual({ points: 1, expiresAt: T0 + MINUTE });
  });

  it('when 200 adds to one key race over many connections, then the window holds exactly 200', async () => {
    const k = key('race');
    const windows = await Promise.all(Array.from({ length: 200 }, () => store.add(k, 1, MINUTE, T0)));

    expect(new Set(windows.map((window) => window.points)).size).toBe(200);
    expect(await store.get(k, T0)).toEqual({ points: 200, expiresAt: T0 + MINUTE });
  });

  it('when windows ended over an hour ago, then the sweep worker is due and deletes them, and keeps every window that ended since', async () => {
    const worker = createRateLimitSweepWorker({ db: stores.db, stores });
    if (!isPostgres(orm.em)) {
      // The embedded file counts in memory: no table, no worker.
      expect(worker).toBeNull();
      return;
    }
    // Hours before now, so no other test's window (all end around now) is among those swept.
    const now = Date.now() - 10 * 3_600_000;
    const [old, recent] = [key('swept'), key('kept')];
    await store.set(old, 3, now - SWEEP_AFTER_EXPIRY_MS - 1);
    await store.set(recent, 3, now - SWEEP_AFTER_EXPIRY_MS);
    const dueAt = async (at: number) => (await stores.work.whichAreDue(stores.db.unitOfWork(orm.em.fork()), [worker!.due!(new Date(at))]))[0];

    expect(await dueAt(now - 1)).toBe(false);
    expect(await dueAt(now)).toBe(true);
    expect(await worker!.runOnce(orm.em.fork(), new Date(now))).toBe(1);

    const keys = await orm.em.fork().getConnection().execute<{ key: string }[]>(`select key from ${RATE_LIMIT_TABLE} where key in (?, ?)`, [old, recent]);
    expect(keys).toEqual([{ key: recent }]);
    expect(await dueAt(now)).toBe(false);
  });
});
