import { License, OrderLine, Variant, VariantKind, type LicenseStatus } from '../../entities';
import type { StockShortfall } from '../../services/shared/outcome';
import type { UnitOfWork } from '../unit-of-work';
import { demandByVariant } from './shared/stock-store.base';
import type { LineDemand } from './stock-store';

/** A license as issued: one per unit of a DIGITAL order line. */
export interface NewLicense {
  id: string;
  key: string;
  orderId: string;
  orderLineId: string;
  unitIndex: number;
  variantId: string;
  customerId: string | null;
  status: LicenseStatus;
  issuedAt: Date;
}

/**
 * License units of DIGITAL variants (a variant's `licenses_claimed` against
 * its `max_licenses`, null = unlimited) and the licenses issued for them.
 * Like a voucher cap, the database decides: each claim is one guarded update.
 */
export interface LicenseStore {
  /**
   * Claims the lines' license units in ONE guarded update whatever their
   * number: each variant's claimed count rises only where it stays within its
   * cap; on PostgreSQL the update takes each variant's row lock and re-checks
   * the guard on the newest row, so concurrent buyers never claim past it.
   * Answers the shortfalls with the licenses still available (none: all
   * claimed); a shortfall leaves the other variants claimed, so the caller
   * aborts. No statement without lines.
   */
  claim(uow: UnitOfWork, lines: readonly LineDemand[]): Promise<StockShortfall[]>;
  /**
   * Gives back the license units of the order's DIGITAL lines, in one
   * statement; none for an order without digital units. The caller runs it
   * once per order, guarded by the order's own status move.
   */
  giveBack(uow: UnitOfWork, order: { id: string; digitalUnits: number }): Promise<void>;
  /**
   * Inserts the licenses in one statement; one whose (order line, unit) is
   * already licensed is skipped (`on conflict do nothing`), so a second run
   * adds none. Answers how many it inserted.
   */
  issue(uow: UnitOfWork, licenses: readonly NewLicense[]): Promise<number>;
}

/** Both dialects run the same statements. */
export class SqlLicenseStore implements LicenseStore {
  async claim(uow: UnitOfWork, lines: readonly LineDemand[]): Promise<StockShortfall[]> {
    if (lines.length === 0) return [];
    const demand = [...demandByVariant(lines)];
    // The cast types the unit counts where a prepared statement cannot infer them (a CASE's results).
    const cases = demand.map(() => 'when ? then cast(? as integer)').join(' ');
    const units = demand.flatMap(([variantId, quantity]) => [variantId, quantity]);
    const claimed = await uow.sql.write(
      `update variants set licenses_claimed = licenses_claimed + (case id ${cases} end)` +
        ` where id in (?) and kind in (?) and (max_licenses is null or licenses_claimed + (case id ${cases} end) <= max_licenses)`,
      [...units, demand.map(([variantId]) => variantId), [VariantKind.DIGITAL], ...units],
    );
    if (claimed === demand.length) return [];
    const variants = await uow.em.find(
      Variant,
      { id: { $in: demand.map(([variantId]) => variantId) } },
      { fields: ['id', 'maxLicenses', 'licensesClaimed'], refresh: true },
    );
    const left = new Map(variants.map((v) => [v.id, v.maxLicenses === null ? Number.MAX_SAFE_INTEGER : Math.max(0, v.maxLicenses - v.licensesClaimed)]));
    const shortfalls = demand
      .filter(([variantId, requested]) => (left.get(variantId) ?? 0) < requested)
      .map(([variantId, requested]) => ({ variantId, requested, available: left.get(variantId) ?? 0 }));
    // None is short as read now (a variant that is not DIGITAL, or units given back since): the whole demand is named.
    return shortfalls.length > 0 ? shortfalls : demand.map(([variantId, requested]) => ({ variantId, requested, available: 0 }));
  }

  async giveBack(uow: UnitOfWork, order: { id: string; digitalUnits: number }): Promise<void> {
    if (order.digitalUnits <= 0) return;
    await uow.readable(OrderLine);
    await uow.sql.write(
      'update variants set licenses_claimed = licenses_claimed - (select coalesce(sum(l.quantity), 0) from order_lines l where l.order_id = ? and l.variant_id = variants.id)' +
        ' where id in (select l2.variant_id from order_lines l2 where l2.order_id = ? and l2.kind in (?))',
      [order.id, order.id, [VariantKind.DIGITAL]],
    );
  }

  async issue(uow: UnitOfWork, licenses: readonly NewLicense[]): Promise<number> {
    if (licenses.length === 0) return 0;
    const result = await uow.em
      .createQueryBuilder(License)
      .insert([...licenses])
      .onConflict(['order_line_id', 'unit_index'])
      .ignore()
      .execute('run');
    return (result as { affectedRows?: number }).affectedRows ?? 0;
  }
}
