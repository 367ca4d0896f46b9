import { Database } from '../../../src/db/database';
import type { Orm } from '../../../src/db/orm';
import { createStores, type Stores } from '../../../src/db/stores';
import { OrderStatus, OutboxEvent } from '../../../src/entities';
import { checkoutOutcomes, OUTCOME_BUCKET_MS } from '../../../src/services/operations/checkout-outcomes.service';
import { buildOrder } from '../../factories/order.factory';
import { openTestOrm, truncateAll } from '../../support/test-database';

describe('checkout outcomes of the last hour', () => {
  let orm: Orm;
  let stores: Stores;
  beforeAll(async () => {
    orm = await openTestOrm();
    stores = createStores(new Database(orm));
  });
  beforeEach(() => truncateAll(orm));
  afterAll(() => orm.close(true));

  // A fixed moment 2 minutes into a bucket: the current bucket started 2 minutes ago.
  const now = new Date(Math.floor(Date.UTC(2026, 11, 2, 12) / OUTCOME_BUCKET_MS) * OUTCOME_BUCKET_MS + 2 * 60_000);
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  async function event(type: string, at: Date): Promise<void> {
    const em = orm.em.fork();
    em.create(OutboxEvent, { type, aggregateId: 'cart-x', payload: {}, createdAt: at });
    await em.flush();
  }
  const failedAttempt = (at: Date) => event('checkout.compensated', at);

  it('when orders and failed attempts happened over the last hour, then each lands in its five-minute bucket and older or unplaced ones do not count', async () => {
    const em = orm.em.fork();
    await buildOrder(em, { createdAt: minutesAgo(1) });
    await buildOrder(em, { createdAt: minutesAgo(2) });
    await buildOrder(em, { createdAt: minutesAgo(3) });
    await buildOrder(em, { createdAt: minutesAgo(56) });
    await buildOrder(em, { createdAt: minutesAgo(1), status: OrderStatus.PENDING_PAYMENT });
    await buildOrder(em, { createdAt: minutesAgo(58) });
    await failedAttempt(minutesAgo(0));
    await failedAttempt(minutesAgo(7));
    await failedAttempt(minutesAgo(90));
    await event('order.placed', minutesAgo(1));

    const buckets = await checkoutOutcomes({ db: stores.db, stores }, orm.em.fork(), now);

    expect(buckets).toHaveLength(12);
    expect(buckets.at(-1)).toEqual({ from: minutesAgo(2), placed: 2, failed: 1 });
    expect(buckets.at(-2)).toEqual({ from: minutesAgo(7), placed: 1, failed: 1 });
    // The first bucket began 57 minutes ago: the order of 56 minutes ago is in it, the one of 58 is not.
    expect(buckets[0]).toEqual({ from: minutesAgo(57), placed: 1, failed: 0 });
    expect(buckets.reduce((sum, b) => sum + b.placed, 0)).toBe(4);
    expect(buckets.reduce((sum, b) => sum + b.failed, 0)).toBe(2);
  });
});
