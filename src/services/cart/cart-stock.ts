import { logger } from '../shared/logger';
import type { StockShortfall } from '../shared/outcome';

/** One variant's stock as the cart's advisory check reads it (CartLookups.stock). */
export interface StockFigures {
  /** Σ on hand over every warehouse. */
  onHand: number;
  /** Σ ACTIVE, unexpired reservations of every cart, this one included. */
  reserved: number;
  /** The part of `reserved` held by this cart (an earlier checkout attempt). */
  reservedByCart: number;
}

/**
 * Whether `requested` units of a variant fit this cart: available = on hand −
 * live reservations (never below 0), and units this cart has reserved itself
 * count as available to it — otherwise a buyer would be short of the very units
 * held for them. Advisory: checkout reserves for real under a lock.
 */
export function stockShortfall(figures: StockFigures, variantId: string, requested: number): StockShortfall | null {
  const rawAvailable = figures.onHand - figures.reserved;
  // A negative figure means invariant 5 was broken somewhere; the inventory reads log it the same way.
  if (rawAvailable < 0) logger.warn('inventory.negative_availability', { variantId, units: rawAvailable });
  const available = Math.max(0, rawAvailable);
  if (requested <= available) return null;
  const availableToCart = available + figures.reservedByCart;
  return requested <= availableToCart ? null : { variantId, requested, available: availableToCart };
}
