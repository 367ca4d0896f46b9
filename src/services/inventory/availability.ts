import { raw } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Reservation, ReservationStatus, StockLevel } from '../../entities';
import { logger } from '../shared/logger';

interface UnitsRow {
  variant_id: string;
  // PostgreSQL returns sum() over integers as bigint, which the driver hands back as a string.
  units: number | string | null;
}

/**
 * Units each variant can still promise: Σ on hand over every warehouse minus the
 * ACTIVE reservations that have not expired at `now` (invariant 5).
 *
 * Two grouped statements whatever the number of ids, so DataLoaders and checkout
 * can batch freely. Unknown variants answer 0. The answer never goes below 0; a
 * negative raw figure means the invariant was broken somewhere, so it is logged.
 *
 * Informational reads (catalog, cart preview) use this directly; a binding
 * check must call it inside its transaction after locking the stock rows.
 */
export async function availableByVariant(em: EntityManager, variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
  const ids = [...new Set(variantIds)];
  const available = new Map<string, number>(ids.map((id) => [id, 0]));
  if (ids.length === 0) return available;

  // Sequential on purpose: inside a caller's transaction both reads share one connection.
  const rawFigure = await onHandByVariant(em, ids);
  const reserved = await reservedByVariant(em, ids, now);
  for (const [variantId, units] of reserved) rawFigure.set(variantId, (rawFigure.get(variantId) ?? 0) - units);

  for (const [variantId, units] of rawFigure) {
    if (units < 0) logger.warn('inventory.negative_availability', { variantId, units });
    available.set(variantId, Math.max(0, units));
  }
  return available;
}

const toUnitsMap = (rows: UnitsRow[]): Map<string, number> => new Map(rows.map((row) => [row.variant_id, Number(row.units ?? 0)]));

/** Σ on hand over every warehouse, per variant; variants without stock rows are absent. One statement. */
export async function onHandByVariant(em: EntityManager, variantIds: readonly string[]): Promise<Map<string, number>> {
  if (variantIds.length === 0) return new Map();
  const rows = await em
    .createQueryBuilder(StockLevel, 's')
    .select([raw('s.variant_id as variant_id'), raw('sum(s.on_hand) as units')])
    .where({ variant: { $in: [...variantIds] } })
    .groupBy('s.variant')
    .execute<UnitsRow[]>('all', false);
  return toUnitsMap(rows);
}

/** Σ units of ACTIVE reservations still unexpired at `now`, per variant; absent = none. One statement. */
export async function reservedByVariant(em: EntityManager, variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
  if (variantIds.length === 0) return new Map();
  const rows = await em
    .createQueryBuilder(Reservation, 'r')
    .select([raw('r.variant_id as variant_id'), raw('sum(r.quantity) as units')])
    .where({ variant: { $in: [...variantIds] }, status: ReservationStatus.ACTIVE, expiresAt: { $gt: now } })
    .groupBy('r.variant')
    .execute<UnitsRow[]>('all', false);
  return toUnitsMap(rows);
}
