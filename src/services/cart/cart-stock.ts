import { ReservationStatus } from '../../entities';
import { logger } from '../shared/logger';
import type { StockShortfall } from '../shared/outcome';
import { intOf } from '../shared/sql-rows';
import type { SnapshotExtras } from './cart-snapshot';

/** One variant's stock as the cart's advisory check reads it. */
export interface StockFigures {
  /** Σ on hand over every warehouse. */
  onHand: number;
  /** Σ ACTIVE, unexpired reservations of every cart, this one included. */
  reserved: number;
  /** The part of `reserved` held by this cart (an earlier checkout attempt). */
  reservedByCart: number;
}

const ACTIVE = `'${ReservationStatus.ACTIVE}'`;

/**
 * Stock of one variant as extra columns of the cart read (aliased `c`):
 * `variant` is an SQL expression naming it, with its own parameters (a `?` for
 * a variant id, or a subquery through a line id). Three small aggregates on
 * indexed columns, instead of statements of their own.
 */
export function stockLookup(variant: { sql: string; params: unknown[] }, now: Date): SnapshotExtras {
  const live = `r.variant_id = ${variant.sql} and r.status in (${ACTIVE}) and r.expires_at > ?`;
  return {
    columns: [
      `(select coalesce(sum(s.on_hand), 0) from stock_levels s where s.variant_id = ${variant.sql}) as stock_on_hand`,
      `(select coalesce(sum(r.quantity), 0) from reservations r where ${live}) as stock_reserved`,
      `(select coalesce(sum(r.quantity), 0) from reservations r where ${live} and r.cart_id = c.id) as stock_reserved_by_cart`,
    ],
    params: [...variant.params, ...variant.params, now, ...variant.params, now],
  };
}

export const stockFound = (row: Record<string, unknown>): StockFigures => ({
  onHand: intOf(row.stock_on_hand),
  reserved: intOf(row.stock_reserved),
  reservedByCart: intOf(row.stock_reserved_by_cart),
});

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
