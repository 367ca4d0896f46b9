import type { EntityManager } from '../../db/orm';
import type { AppDeps } from '../app-deps';
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
 * claim records. Nothing is written on the checkout path for it.
 */
export async function checkoutOutcomes(deps: Pick<AppDeps, 'db' | 'stores'>, em: EntityManager, now: Date): Promise<OutcomeBucket[]> {
  const current = Math.floor(now.getTime() / OUTCOME_BUCKET_MS);
  const first = current - OUTCOME_BUCKETS + 1;
  const counts = await deps.stores.operations.checkoutOutcomes(
    deps.db.unitOfWork(em),
    new Date(first * OUTCOME_BUCKET_MS),
    OUTCOME_BUCKET_MS,
    CHECKOUT_COMPENSATED,
  );
  return Array.from({ length: OUTCOME_BUCKETS }, (_, i) => ({
    from: new Date((first + i) * OUTCOME_BUCKET_MS),
    placed: counts.placed.get(first + i) ?? 0,
    failed: counts.failed.get(first + i) ?? 0,
  }));
}
