import type { EntityManager } from '../../db/orm';
import { ReservationStatus, VariantKind } from '../../entities/enums';
import { isId } from '../shared/ids';
import { logger } from '../shared/logger';
import { inList } from './sql-in-list';

/**
 * The catalog's availability figure, computed in SQL: Σ on hand over every
 * warehouse minus the ACTIVE reservations still unexpired at `now` (a
 * reservation expiring exactly at `now` no longer holds stock). Same rule,
 * same answers as inventory/availability.ts's availableByVariant (the tests
 * run both over the same cases), which checkout keeps using inside its
 * transaction; this one serves informational reads, where a page's worth of
 * variants should cost one statement, or none of its own when it rides along
 * with the variants (catalog-query.service.ts).
 */

/** A column over `variants v`; its placeholders come first in the statement's parameters. */
export interface AvailableUnitsColumn {
  sql: string;
  params: unknown[];
}

/**
 * What a DIGITAL variant with no cap shows: it has no stock and never runs
 * out, so the largest GraphQL Int stands for "unlimited" in an Int! field.
 */
export const UNLIMITED_DIGITAL_UNITS = 2_147_483_647;

/**
 * A DIGITAL variant has no stock rows: it shows the licenses its cap still
 * allows (maxLicenses - claimed), or UNLIMITED_DIGITAL_UNITS without a cap.
 */
export function availableUnitsColumn(em: EntityManager, now: Date): AvailableUnitsColumn {
  return {
    sql: `case when v.kind = '${VariantKind.DIGITAL}' then coalesce(v.max_licenses - v.licenses_claimed, ${UNLIMITED_DIGITAL_UNITS}) else
      (select coalesce(sum(s.on_hand), 0) from stock_levels s where s.variant_id = v.id)
      - (select coalesce(sum(r.quantity), 0) from reservations r where r.variant_id = v.id and r.status in (?) and r.expires_at > ?) end`,
    params: [ReservationStatus.ACTIVE, em.getPlatform().processDateProperty(now)],
  };
}

/**
 * The figure shown: never below 0. A negative raw figure means invariant 5
 * broke somewhere, so it is logged. Sums are bigint on PostgreSQL, text from its driver.
 */
export function shownUnits(variantId: string, raw: string | number): number {
  const units = Number(raw);
  if (units < 0) logger.warn('inventory.negative_availability', { variantId, units });
  return Math.max(0, units);
}

/** One statement for any number of variants; unknown ids answer 0. */
export async function availableUnitsByVariant(em: EntityManager, variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
  const ids = [...new Set(variantIds)];
  const available = new Map<string, number>(ids.map((id) => [id, 0]));
  const known = ids.filter(isId);
  if (known.length === 0) return available;

  const column = availableUnitsColumn(em, now);
  const rows = await em.execute<{ variant_id: string; units: string | number }[]>(
    `select v.id as variant_id, ${column.sql} as units from variants v where v.id in (${inList(known.length)})`,
    [...column.params, ...known],
  );
  for (const row of rows) available.set(row.variant_id, shownUnits(row.variant_id, row.units));
  return available;
}
