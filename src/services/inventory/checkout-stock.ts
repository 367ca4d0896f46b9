import type { Stores } from '../../db/stores';
import type { HeldUnits, LineDemand } from '../../db/stores/stock-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import { logger } from '../shared/logger';
import { abortWith, insufficientStock, type StockShortfall } from '../shared/outcome';
import { heldOrAbort } from './held-units';

export type { HeldUnits, LineDemand } from '../../db/stores/stock-store';

/** Units per variant. */
export function unitsByVariant(lines: readonly { variantId: string; quantity: number }[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.variantId, (units.get(line.variantId) ?? 0) + line.quantity);
  return units;
}

/** Whether both hold the same units of the same variants. */
function sameUnits(a: readonly LineDemand[], b: readonly LineDemand[]): boolean {
  const left = unitsByVariant(a);
  const right = unitsByVariant(b);
  return left.size === right.size && [...right].every(([variantId, units]) => left.get(variantId) === units);
}

/**
 * Whether the cart's own live reservations (startCheckout's) hold exactly what
 * the checkout needs, so they can be taken as they are: every one still ahead
 * of `now`, and the same units per variant. Such units are already counted
 * against everyone else's availability, so nothing needs re-checking.
 */
export function reservationsCover(held: readonly HeldUnits[], demand: readonly LineDemand[], now: Date): boolean {
  if (held.length === 0 || held.some((r) => r.expiresAt.getTime() <= now.getTime())) return false;
  return sameUnits(held, demand);
}

/** Aborts the transaction with INSUFFICIENT_STOCK when the stock store answered shortfalls. */
export function requireStock(shortfalls: StockShortfall[]): void {
  if (shortfalls.length > 0) abortWith(insufficientStock(shortfalls));
}

/** Re-taken units are converted in the same transaction: their hold only has to lie ahead of `now`. */
const RETAKE_HOLD_MS = 60_000;

/**
 * Takes a paid order's units from stock when its payment completed after
 * checkout answered (3-D Secure, hosted checkout). The cart's ACTIVE
 * reservations are converted when they still cover the order's lines; when
 * they are gone (lapsed and RELEASED by the expiry worker) the units are
 * reserved again under the stock row locks, if they are free, and converted at
 * once. Fails closed with INSUFFICIENT_STOCK: an order is never placed without
 * its units (invariant 5).
 */
export async function takeStockForPaidOrder(
  uow: UnitOfWork,
  { stock }: Pick<Stores, 'stock'>,
  order: { cartId: string; orderId: string; lines: readonly LineDemand[] },
  now: Date,
): Promise<void> {
  const { cartId, orderId, lines } = order;
  const active = await stock.activeOfCart(uow, cartId);
  if (sameUnits(active, lines)) {
    return requireStock(
      await stock.convert(
        uow,
        cartId,
        active.map((r) => r.id),
        orderId,
        now,
      ),
    );
  }
  logger.warn('inventory.order_reservations_lapsed', { orderId, cartId, activeReservations: active.length });
  const retaken = heldOrAbort(await stock.reserve(uow, cartId, lines, { now, until: new Date(now.getTime() + RETAKE_HOLD_MS) }), now);
  requireStock(
    await stock.convert(
      uow,
      cartId,
      retaken.map((r) => r.id),
      orderId,
      now,
    ),
  );
}
