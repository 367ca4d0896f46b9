import type { CartLineSnapshot, CartSnapshot } from '../cart/cart-snapshot';
import type { PriceChange } from '../shared/outcome';

export interface PriceGuardPolicy {
  driftBps: number;
  staleAfterMs: number;
}

export interface PriceReview {
  /** Every line whose stored price differs from the catalog's. */
  changes: PriceChange[];
  /** True when the buyer must see the new prices before paying them. */
  needsAcknowledgement: boolean;
}

/**
 * Compares the prices the buyer saw (stored on the lines when last validated)
 * with the catalog's. A move beyond the allowed drift, or any move at all once
 * the preview is stale (or was never made), needs the buyer's acknowledgement;
 * smaller moves on a fresh preview are accepted. Integer maths only:
 * |current − previous| × 10 000 > previous × driftBps.
 */
export function reviewSnapshotPrices(snapshot: Pick<CartSnapshot, 'lines' | 'pricesValidatedAt'>, now: Date, policy: PriceGuardPolicy): PriceReview {
  const changes = snapshotPriceChanges(snapshot.lines);
  const stale = snapshot.pricesValidatedAt === null || now.getTime() - snapshot.pricesValidatedAt.getTime() > policy.staleAfterMs;
  const beyondDrift = changes.some((c) => BigInt(Math.abs(c.current - c.previous)) * 10_000n > BigInt(c.previous) * BigInt(policy.driftBps));
  return { changes, needsAcknowledgement: changes.length > 0 && (stale || beyondDrift) };
}

/** Lines of a snapshot whose stored price is not the catalog's, as the buyer is told about them. */
export function snapshotPriceChanges(lines: readonly CartLineSnapshot[]): PriceChange[] {
  return lines
    .filter((line) => line.catalogPrice !== line.unitPrice)
    .map((line) => ({ variantId: line.variantId, previous: line.unitPrice, current: line.catalogPrice, currency: line.variantCurrency }));
}
