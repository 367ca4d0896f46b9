import { ReservationStatus } from '../../../entities';
import type { JsonSql } from '../../sql/json-sql';
import { dateOrNull, intOf, intOrNull, jsonOf } from '../../sql/row-values';
import type { Row, Sql } from '../../sql/sql';
import type { CartLookupAnswers, CartLookups } from '../cart-store';
import { combineExtras, VARIANT_FIELDS, variantOf, type SnapshotExtras } from './cart-snapshot.sql';
import { voucherFound, voucherLookup } from './voucher-json';

/**
 * A cart change's look-ups as extra columns of the snapshot statement: each a
 * scalar subquery keyed by a parameter, answering JSON, a number or null, so
 * the change reads everything it decides on in one statement.
 */

const SHIPPING_METHOD_FIELDS = [
  ['id', 'm.id'],
  ['name', 'm.name'],
  ['price', 'm.price'],
  ['currency', 'm.currency'],
] as const;

const ACTIVE = `'${ReservationStatus.ACTIVE}'`;

/**
 * Stock of one variant: `variant` is an SQL expression naming it, with its own
 * parameters (a `?` for a variant id, or a subquery through a line id). Three
 * small aggregates on indexed columns.
 */
function stockColumns(variant: { sql: string; params: unknown[] }, at: unknown): SnapshotExtras {
  const live = `r.variant_id = ${variant.sql} and r.status in (${ACTIVE}) and r.expires_at > ?`;
  return {
    columns: [
      `(select coalesce(sum(s.on_hand), 0) from stock_levels s where s.variant_id = ${variant.sql}) as stock_on_hand`,
      `(select coalesce(sum(r.quantity), 0) from reservations r where ${live}) as stock_reserved`,
      `(select coalesce(sum(r.quantity), 0) from reservations r where ${live} and r.cart_id = c.id) as stock_reserved_by_cart`,
    ],
    params: [...variant.params, ...variant.params, at, ...variant.params, at],
  };
}

/** The columns of `lookups`, in one fixed order (so a set of look-ups is always the same statement). */
export function lookupColumns(json: JsonSql, sql: Sql, lookups: CartLookups): SnapshotExtras {
  const parts: SnapshotExtras[] = [];
  if (lookups.variant !== undefined) {
    parts.push({
      columns: [`(select ${json.object(VARIANT_FIELDS)} from variants v join products p on p.id = v.product_id where v.id = ?) as lookup_variant`],
      params: [lookups.variant],
    });
  }
  if (lookups.stock) {
    const { stock } = lookups;
    const variant =
      'variantId' in stock
        ? { sql: '?', params: [stock.variantId] }
        : { sql: '(select ll.variant_id from cart_lines ll where ll.id = ? and ll.cart_id = c.id)', params: [stock.lineId] };
    parts.push(stockColumns(variant, sql.time(stock.at)));
  }
  if (lookups.shippingMethod !== undefined) {
    parts.push({
      columns: [`(select ${json.object(SHIPPING_METHOD_FIELDS)} from shipping_methods m where m.id = ?) as lookup_shipping_method`],
      params: [lookups.shippingMethod],
    });
  }
  if (lookups.taxRateOf !== undefined) {
    parts.push({ columns: ['(select t.rate_bps from tax_rates t where t.country = ?) as lookup_tax_rate_bps'], params: [lookups.taxRateOf] });
  }
  if (lookups.voucher !== undefined) parts.push(voucherLookup(json, lookups.voucher));
  if (lookups.holdEndAfter) {
    parts.push({
      columns: [`(select min(r.expires_at) from reservations r where r.cart_id = c.id and r.status in (${ACTIVE}) and r.expires_at > ?) as hold_ends_at`],
      params: [sql.time(lookups.holdEndAfter)],
    });
  }
  return combineExtras(parts);
}

/** The answers of `lookups` from the row `lookupColumns` extended; null for each not asked. */
export function lookupAnswers(row: Row, lookups: CartLookups): CartLookupAnswers {
  const method = lookups.shippingMethod !== undefined && row.lookup_shipping_method != null ? jsonOf<Row>(row.lookup_shipping_method) : null;
  return {
    variant: lookups.variant !== undefined && row.lookup_variant != null ? variantOf(jsonOf<Row>(row.lookup_variant)) : null,
    stock: lookups.stock ? { onHand: intOf(row.stock_on_hand), reserved: intOf(row.stock_reserved), reservedByCart: intOf(row.stock_reserved_by_cart) } : null,
    shippingMethod: method && { id: String(method.id), name: String(method.name), price: intOf(method.price), currency: String(method.currency) },
    taxRateBps: lookups.taxRateOf !== undefined ? (intOrNull(row.lookup_tax_rate_bps) ?? 0) : null,
    voucher: lookups.voucher !== undefined ? voucherFound(row) : null,
    holdEndsAt: lookups.holdEndAfter ? dateOrNull(row.hold_ends_at) : null,
  };
}
