import type { EntityManager } from '../../db/orm';
import { Reservation, ReservationStatus } from '../../entities';
import { runWrite } from '../shared/sql-rows';
import { abortWith, insufficientStock } from '../shared/outcome';
import { transition } from '../state/transition';
import type { LineDemand } from './reservations';

export interface HeldUnits { id: string; variantId: string; quantity: number; expiresAt: Date }

/** Units per variant. */
export function unitsByVariant(lines: readonly { variantId: string; quantity: number }[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.variantId, (units.get(line.variantId) ?? 0) + line.quantity);
  return units;
}

/**
 * Whether the cart's own live reservations (startCheckout's) hold exactly what
 * the checkout needs, so they can be taken as they are: every one still ahead
 * of `now`, and the same units per variant. Such units are already counted
 * against everyone else's availability, so nothing needs re-checking.
 */
export function reservationsCover(held: readonly HeldUnits[], demand: readonly LineDemand[], now: Date): boolean {
  if (held.length === 0 || held.some((r) => r.expiresAt.getTime() <= now.getTime())) return false;
  const have = unitsByVariant(held);
  const need = unitsByVariant(demand);
  return have.size === need.size && [...need].every(([variantId, units]) => have.get(variantId) === units);
}

/**
 * Takes the units of a cart's covering reservations off the shelf in two
 * statements: the reservations CONVERTED to the order, then on hand lowered
 * for every variant at once. Only for variants stocked in one warehouse each
 * (the caller checks): there is then no choice of warehouse to make. The
 * decrement is guarded (`on_hand >= units`) and row-locking, so it can never
 * go below zero; a shortfall fails closed with INSUFFICIENT_STOCK.
 */
export async function convertHeldUnits(tx: EntityManager, held: readonly HeldUnits[], orderId: string): Promise<void> {
  const demand = unitsByVariant(held);
  const moved = await transition(tx, Reservation, held.map((r) => r.id), ReservationStatus.ACTIVE, ReservationStatus.CONVERTED, { orderId });
  const lost = () => abortWith(insufficientStock([...demand].map(([variantId, requested]) => ({ variantId, requested, available: 0 }))));
  if (moved !== held.length) lost();
  const cases = [...demand].map(() => 'when ? then ?').join(' ');
  const units = [...demand].flatMap(([variantId, quantity]) => [variantId, quantity]);
  const taken = await runWrite(
    tx,
    `update stock_levels set on_hand = on_hand - (case variant_id ${cases} end) where variant_id in (?) and on_hand >= (case variant_id ${cases} end)`,
    [...units, [...demand.keys()], ...units],
  );
  if (taken !== demand.size) lost();
}

/** Keeps covering reservations alive until `until` (the checkout pays outside): one statement. */
export async function extendHeldUnits(tx: EntityManager, held: readonly HeldUnits[], until: Date): Promise<void> {
  const extended = await tx.nativeUpdate(Reservation, { id: { $in: held.map((r) => r.id) }, status: ReservationStatus.ACTIVE }, { expiresAt: until });
  if (extended !== held.length) {
    abortWith(insufficientStock([...unitsByVariant(held)].map(([variantId, requested]) => ({ variantId, requested, available: 0 }))));
  }
}
