import { isPostgres, type EntityManager } from '../../db/orm';
import { sqlDate } from '../../db/sql-values';
import { CHECKOUT_COMPENSATED } from '../checkout/checkout-events';

export const OUTCOME_BUCKET_MS = 5 * 60_000;
export const OUTCOME_BUCKETS = 12;

export interface OutcomeBucket {
  /** Start of the five minutes. */
  from: Date;
  /** Orders created in these minutes that were placed. */
  placed: number;
  /** Checkout attempts that failed after claiming their cart and gave back what they held (outbox `checkout.compensated`). */
  failed: number;
}

/**
 * The last hour of checkout outcomes in five-minute buckets (the current,
 * partial one last), read from rows the checkout writes anyway: orders, and
 * the `checkout.compensated` event every failed attempt that got past the
 * claim records. Two grouped statements; nothing is written on the checkout
 * path for it.
 */
export async function checkoutOutcomes(em: EntityManager, now: Date): Promise<OutcomeBucket[]> {
  const current = Math.floor(now.getTime() / OUTCOME_BUCKET_MS);
  const first = current - OUTCOME_BUCKETS + 1;
  const since = sqlDate(em, new Date(first * OUTCOME_BUCKET_MS));
  const bucket = bucketOf(em, 'created_at');
  const [placed, failed] = [
    await em.execute<BucketCount[]>(
      `select ${bucket} as bucket, count(*) as n from orders where created_at >= ? and placed_at is not null group by ${bucket}`,
      [since],
    ),
    await em.execute<BucketCount[]>(`select ${bucket} as bucket, count(*) as n from outbox_events where type = ? and created_at >= ? group by ${bucket}`, [
      CHECKOUT_COMPENSATED,
      since,
    ]),
  ];
  const countsOf = (rows: BucketCount[]) => new Map(rows.map((row) => [Number(row.bucket), Number(row.n)]));
  const placedBy = countsOf(placed);
  const failedBy = countsOf(failed);
  return Array.from({ length: OUTCOME_BUCKETS }, (_, i) => ({
    from: new Date((first + i) * OUTCOME_BUCKET_MS),
    placed: placedBy.get(first + i) ?? 0,
    failed: failedBy.get(first + i) ?? 0,
  }));
}

interface BucketCount {
  bucket: number | string;
  n: number | string;
}

/** The five-minute bucket number (epoch ms / bucket length) of a timestamp column, as each dialect stores it. */
function bucketOf(em: EntityManager, column: string): string {
  return isPostgres(em) ? `floor(extract(epoch from ${column}) * 1000 / ${OUTCOME_BUCKET_MS})` : `(${column} / ${OUTCOME_BUCKET_MS})`;
}
