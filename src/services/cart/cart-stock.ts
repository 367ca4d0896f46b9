import type { EntityManager } from '../../db/orm';
import { Reservation, ReservationStatus } from '../../entities';
import { availableForVariant } from '../inventory/availability';
import type { StockShortfall } from '../shared/outcome';

/**
 * Whether `requested` units of a variant fit this cart. Units the cart itself has
 * already reserved (an earlier checkout attempt) are counted as available to it —
 * otherwise a buyer would be short of the very units held for them. That second
 * read only runs when the first one says "short", so the common path stays at the
 * availability read alone. Advisory: checkout reserves for real under a lock.
 */
export async function stockShortfallForLine(
  em: EntityManager,
  cartId: string,
  variantId: string,
  requested: number,
  now: Date,
): Promise<StockShortfall | null> {
  const available = await availableForVariant(em, variantId, now);
  if (requested <= available) return null;
  const heldForThisCart = await unitsReservedByCart(em, cartId, variantId, now);
  const availableToCart = available + heldForThisCart;
  return requested <= availableToCart ? null : { variantId, requested, available: availableToCart };
}

async function unitsReservedByCart(em: EntityManager, cartId: string, variantId: string, now: Date): Promise<number> {
  const reservations = await em.find(Reservation, {
    cartId,
    variant: variantId,
    status: ReservationStatus.ACTIVE,
    expiresAt: { $gt: now },
  });
  return reservations.reduce((units, reservation) => units + reservation.quantity, 0);
}
