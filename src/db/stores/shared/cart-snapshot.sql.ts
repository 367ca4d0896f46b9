import type { AddressValue, CartStatus } from '../../../entities';
import { variantKindOf } from '../../../services/catalog/variant-kinds';
import type { CartLineSnapshot, CartSnapshot, VariantFacts } from '../../../services/cart/cart-snapshot';
import type { JsonSql } from '../../sql/json-sql';
import { dateOf, dateOrNull, intOf, intOrNull, jsonOf, stringOrNull } from '../../sql/row-values';
import type { Row, Sql } from '../../sql/sql';
import type { VoucherSnapshot } from '../voucher-store';
import { vouchersFromJson, vouchersJson } from './voucher-json';

/**
 * The cart snapshot statement: the cart row, its lines with their variants'
 * catalog facts, its shipping method, tax rate and vouchers, as ONE row (the
 * lines and vouchers as JSON built in the database). The cart store reads it
 * with its look-ups; a store whose read must see the cart and more in one
 * statement (the checkout's claim) adds its own columns (`readSnapshotRow`).
 */

/** A line's catalog half (variant `v` joined to product `p`): what a line shows besides its own columns. */
export const VARIANT_FIELDS = [
  ['variantId', 'v.id'],
  ['catalogPrice', 'v.price'],
  ['variantCurrency', 'v.currency'],
  ['sku', 'v.sku'],
  ['variantName', 'v.name'],
  ['productId', 'v.product_id'],
  ['productName', 'p.name'],
  ['sellerId', 'p.seller_id'],
  ['kind', 'v.kind'],
] as const;

const LINE_FIELDS = [['id', 'l.id'], ['quantity', 'l.quantity'], ['unitPrice', 'l.unit_price'], ['position', 'l.position'], ...VARIANT_FIELDS] as const;

/**
 * Extra columns of the snapshot statement, each a scalar expression over the
 * cart (aliased `c`); their `?` parameters come before the cart id's.
 */
export interface SnapshotExtras {
  columns: string[];
  params: unknown[];
  /** A common table expression the columns may use (`name as (…)`), with its parameters; it comes first in the statement. */
  prelude?: { sql: string; params: unknown[] };
}

export const NO_EXTRAS: SnapshotExtras = { columns: [], params: [] };

export function combineExtras(parts: readonly SnapshotExtras[]): SnapshotExtras {
  return { columns: parts.flatMap((part) => part.columns), params: parts.flatMap((part) => part.params) };
}

function snapshotStatement(json: JsonSql, extras: SnapshotExtras): string {
  // Joined with spaces, not newlines: the statement log prints it on one line.
  return [
    ...(extras.prelude ? [`with ${extras.prelude.sql}`] : []),
    'select c.id, c.status, c.currency, c.email, c.customer_id, cu.email as customer_email, c.voucher_codes,',
    'c.shipping_method_id, sm.name as shipping_method_name, sm.price as shipping_method_price, sm.currency as shipping_method_currency,',
    'c.shipping_address, c.version, c.prices_validated_at, c.next_line_position, c.created_at, c.updated_at, tr.rate_bps as tax_rate_bps,',
    `(select ${json.array(json.object(LINE_FIELDS))} from cart_lines l join variants v on v.id = l.variant_id join products p on p.id = v.product_id`,
    'where l.cart_id = c.id) as lines,',
    `${vouchersJson(json, `vo.code in (${json.elements('c.voucher_codes')})`)} as vouchers`,
    ...extras.columns.map((column) => `, ${column}`),
    'from carts c',
    'left join customers cu on cu.id = c.customer_id',
    'left join shipping_methods sm on sm.id = c.shipping_method_id',
    `left join tax_rates tr on tr.country = ${json.textKey('c.shipping_address', 'country')}`,
    'where c.id = ?',
  ].join(' ');
}

/** The snapshot statement with `extras`: the snapshot, and the raw row for the extras' owner to read its columns from. */
export async function readSnapshotRow(
  sql: Sql,
  json: JsonSql,
  cartId: string,
  extras: SnapshotExtras = NO_EXTRAS,
): Promise<{ snapshot: CartSnapshot; row: Row } | null> {
  const [row] = await sql.rows(snapshotStatement(json, extras), [...(extras.prelude?.params ?? []), ...extras.params, cartId]);
  return row ? { snapshot: snapshotOf(row), row } : null;
}

function snapshotOf(row: Row): CartSnapshot {
  const shippingAddress = jsonOf<AddressValue | null>(row.shipping_address ?? null);
  const voucherCodes = jsonOf<string[]>(row.voucher_codes);
  return {
    id: String(row.id),
    status: String(row.status) as CartStatus,
    version: intOf(row.version),
    currency: String(row.currency),
    email: stringOrNull(row.email),
    customerId: stringOrNull(row.customer_id),
    customerEmail: stringOrNull(row.customer_email),
    shippingMethod:
      row.shipping_method_id == null || row.shipping_method_name == null
        ? null
        : {
            id: String(row.shipping_method_id),
            name: String(row.shipping_method_name),
            price: intOf(row.shipping_method_price),
            currency: String(row.shipping_method_currency),
          },
    shippingAddress,
    voucherCodes,
    pricesValidatedAt: dateOrNull(row.prices_validated_at),
    nextLinePosition: intOf(row.next_line_position),
    updatedAt: dateOf(row.updated_at),
    createdAt: dateOf(row.created_at),
    lines: jsonOf<Row[]>(row.lines)
      .map(lineOf)
      .sort((a, b) => a.position - b.position),
    pricingInputs: {
      country: shippingAddress?.country ?? null,
      voucherCodes: [...voucherCodes],
      taxRateBps: intOrNull(row.tax_rate_bps) ?? 0,
      vouchers: inCodeOrder(voucherCodes, vouchersFromJson(row.vouchers)),
    },
  };
}

function lineOf(json: Row): CartLineSnapshot {
  return {
    id: String(json.id),
    quantity: intOf(json.quantity),
    unitPrice: intOf(json.unitPrice),
    position: intOf(json.position),
    ...variantOf(json),
  };
}

/** The catalog facts `VARIANT_FIELDS` reads, from their JSON. */
export function variantOf(json: Row): VariantFacts {
  return {
    variantId: String(json.variantId),
    catalogPrice: intOf(json.catalogPrice),
    variantCurrency: String(json.variantCurrency),
    sku: String(json.sku),
    variantName: String(json.variantName),
    productId: String(json.productId),
    productName: String(json.productName),
    sellerId: stringOrNull(json.sellerId),
    kind: variantKindOf(json.kind),
  };
}

/** The vouchers of `codes` in the cart's order; a code whose voucher was deleted simply stops counting. */
export function inCodeOrder(codes: readonly string[], vouchers: readonly VoucherSnapshot[]): VoucherSnapshot[] {
  const byCode = new Map(vouchers.map((voucher) => [voucher.code, voucher]));
  return codes.flatMap((code) => byCode.get(code) ?? []);
}
