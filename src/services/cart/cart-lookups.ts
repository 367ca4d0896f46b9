import type { CartDialect } from '../shared/sql-rows';
import { intOf, intOrNull, jsonOf } from '../shared/sql-rows';
import {
  VARIANT_FIELDS, variantFromJson, type ShippingMethodSnapshot, type SnapshotExtras, type VariantFacts,
} from './cart-snapshot';

/**
 * The look-ups a cart mutation needs besides the cart (the variant being added,
 * the shipping method or voucher being chosen; the voucher's is in
 * vouchers/voucher-sql.ts), as extra columns of the one
 * snapshot read: each a scalar subquery returning JSON or null, keyed by a
 * parameter, with a mapper for its column.
 */

export const NO_EXTRAS: SnapshotExtras = { columns: [], params: [] };

export function combineExtras(...parts: SnapshotExtras[]): SnapshotExtras {
  return { columns: parts.flatMap((part) => part.columns), params: parts.flatMap((part) => part.params) };
}

export const variantLookup = (d: CartDialect, variantId: string): SnapshotExtras => ({
  columns: [`(select ${d.object(VARIANT_FIELDS)} from variants v join products p on p.id = v.product_id where v.id = ?) as lookup_variant`],
  params: [variantId],
});

export const variantFound = (row: Record<string, unknown>): VariantFacts | null =>
  row.lookup_variant == null ? null : variantFromJson(jsonOf<Record<string, unknown>>(row.lookup_variant));

const SHIPPING_METHOD_FIELDS = [['id', 'm.id'], ['name', 'm.name'], ['price', 'm.price'], ['currency', 'm.currency']] as const;

export const shippingMethodLookup = (d: CartDialect, methodId: string): SnapshotExtras => ({
  columns: [`(select ${d.object(SHIPPING_METHOD_FIELDS)} from shipping_methods m where m.id = ?) as lookup_shipping_method`],
  params: [methodId],
});

export function shippingMethodFound(row: Record<string, unknown>): ShippingMethodSnapshot | null {
  if (row.lookup_shipping_method == null) return null;
  const json = jsonOf<Record<string, unknown>>(row.lookup_shipping_method);
  return { id: String(json.id), name: String(json.name), price: intOf(json.price), currency: String(json.currency) };
}

/** A country's tax rate in basis points (0 where none is set, as the snapshot reads it). */
export const taxRateLookup = (country: string): SnapshotExtras => ({
  columns: ['(select t.rate_bps from tax_rates t where t.country = ?) as lookup_tax_rate_bps'],
  params: [country],
});

export const taxRateFound = (row: Record<string, unknown>): number => intOrNull(row.lookup_tax_rate_bps) ?? 0;
