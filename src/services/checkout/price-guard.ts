import type { EntityManager } from '../../db/orm';
import type { Cart, CartLine } from '../../entities';
import type { CartLineSnapshot, CartSnapshot } from '../cart/cart-snapshot';
import { cartVersionKey } from '../cart/version-key';
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
export function reviewPrices(lines: readonly CartLine[], pricesValidatedAt: Date | null, now: Date, policy: PriceGuardPolicy): PriceReview {
  const changes = lines
    .filter((line) => line.variant.price !== line.unitPrice)
    .map((line) => ({ variantId: line.variant.id, previous: line.unitPrice, current: line.variant.price, currency: line.variant.currency }));
  return reviewChanges(changes, pricesValidatedAt, now, policy);
}

/** The same review of a cart read as plain data (its lines carry the catalog price). */
export function reviewSnapshotPrices(snapshot: Pick<CartSnapshot, 'lines' | 'pricesValidatedAt'>, now: Date, policy: PriceGuardPolicy): PriceReview {
  return reviewChanges(snapshotPriceChanges(snapshot.lines), snapshot.pricesValidatedAt, now, policy);
}

/** Lines of a snapshot whose stored price is not the catalog's, as the buyer is told about them. */
export function snapshotPriceChanges(lines: readonly CartLineSnapshot[]): PriceChange[] {
  return lines
    .filter((line) => line.catalogPrice !== line.unitPrice)
    .map((line) => ({ variantId: line.variantId, previous: line.unitPrice, current: line.catalogPrice, currency: line.variantCurrency }));
}

function reviewChanges(changes: PriceChange[], pricesValidatedAt: Date | null, now: Date, policy: PriceGuardPolicy): PriceReview {
  const stale = pricesValidatedAt === null || now.getTime() - pricesValidatedAt.getTime() > policy.staleAfterMs;
  const beyondDrift = changes.some((c) => BigInt(Math.abs(c.current - c.previous)) * 10_000n > BigInt(c.previous) * BigInt(policy.driftBps));
  return { changes, needsAcknowledgement: changes.length > 0 && (stale || beyondDrift) };
}

/**
 * Re-stamps the cart's lines with the catalog's current prices (so the version
 * key reflects what will be charged) and stamps pricesValidatedAt, in the
 * caller's transaction. Returns the review of what moved and the new key.
 */
export async function applyCurrentPrices(tx: EntityManager, cart: Cart, now: Date, policy: PriceGuardPolicy): Promise<PriceReview & { versionKey: string }> {
  const review = reviewPrices(cart.lines.getItems(), cart.pricesValidatedAt, now, policy);
  for (const line of cart.lines.getItems()) line.unitPrice = line.variant.price;
  cart.pricesValidatedAt = now;
  await tx.flush();
  return { ...review, versionKey: cartVersionKey(cart) };
}
