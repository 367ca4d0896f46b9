import type { EntityManager } from '../../db/orm';
import { Variant, VariantKind } from '../../entities';
import { runWrite } from '../shared/sql-rows';
import { unitsByVariant } from '../inventory/checkout-stock';
import { abortWith, insufficientStock } from '../shared/outcome';

export interface DigitalDemand {
  variantId: string;
  quantity: number;
}

/**
 * Claims license units for a checkout's DIGITAL lines in ONE guarded update,
 * whatever the number of lines: every variant's `licenses_claimed` rises by its
 * units only where that stays within `max_licenses` (null = unlimited). Like a
 * voucher cap, the database decides: on PostgreSQL the update takes each
 * variant's row lock and re-checks the guard on the latest row, so concurrent
 * buyers can never claim past the cap. When a variant is short, the checkout
 * aborts (its transaction rolls back, nothing was charged) with
 * INSUFFICIENT_STOCK naming the licenses still available. No statement at all
 * for a cart without digital lines.
 */
export async function claimLicenseSlots(tx: EntityManager, lines: readonly DigitalDemand[]): Promise<void> {
  if (lines.length === 0) return;
  const demand = [...unitsByVariant(lines)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cases = demand.map(() => 'when ? then ?').join(' ');
  const units = demand.flatMap(([variantId, quantity]) => [variantId, quantity]);
  const claimed = await runWrite(
    tx,
    `update variants set licenses_claimed = licenses_claimed + (case id ${cases} end)` +
      ` where id in (?) and kind in (?) and (max_licenses is null or licenses_claimed + (case id ${cases} end) <= max_licenses)`,
    [...units, demand.map(([variantId]) => variantId), [VariantKind.DIGITAL], ...units],
  );
  if (claimed === demand.length) return;
  const variants = await tx.find(
    Variant,
    { id: { $in: demand.map(([variantId]) => variantId) } },
    { fields: ['id', 'maxLicenses', 'licensesClaimed'], refresh: true },
  );
  const left = new Map(variants.map((v) => [v.id, v.maxLicenses === null ? Number.MAX_SAFE_INTEGER : Math.max(0, v.maxLicenses - v.licensesClaimed)]));
  const shortfalls = demand
    .filter(([variantId, requested]) => (left.get(variantId) ?? 0) < requested)
    .map(([variantId, requested]) => ({ variantId, requested, available: left.get(variantId) ?? 0 }));
  abortWith(insufficientStock(shortfalls.length > 0 ? shortfalls : demand.map(([variantId, requested]) => ({ variantId, requested, available: 0 }))));
}

/**
 * Gives back the license units an order claimed at confirm, when that order is
 * cancelled before it was ever placed (its payment failed or expired, or the
 * buyer cancelled it). One statement; the caller runs it once, guarded by the
 * order's own PENDING_PAYMENT → CANCELLED move. A placed order's units stay
 * claimed: the cap counts licenses ever issued, revoked ones included.
 */
export async function releaseLicenseSlots(tx: EntityManager, order: { id: string; digitalUnits: number }): Promise<void> {
  if (order.digitalUnits <= 0) return;
  await runWrite(
    tx,
    'update variants set licenses_claimed = licenses_claimed - (select coalesce(sum(l.quantity), 0) from order_lines l where l.order_id = ? and l.variant_id = variants.id)' +
      ' where id in (select l2.variant_id from order_lines l2 where l2.order_id = ? and l2.kind in (?))',
    [order.id, order.id, [VariantKind.DIGITAL]],
  );
}
