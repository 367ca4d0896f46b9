import type { EntityManager } from '../../db/orm';
import { preparedRows } from '../../db/prepared-statements';
import { VariantKind, type AddressValue, type CartStatus } from '../../entities';
import { priceCart, type PricingResult } from '../pricing/pricing-engine';
import { vouchersFromJson, vouchersJson, type VoucherSnapshot } from '../vouchers/voucher-sql';
import { writeLock } from '../shared/transactions';
import type { CartPricingOptions } from './cart-pricing';
import {
  cartDialect, dateOf, dateOrNull, intOf, intOrNull, jsonOf, queryRows, stringOrNull, type CartDialect,
} from '../shared/sql-rows';
import { versionKeyOf } from './version-key';

/**
 * A cart as plain data, read without hydrating a single entity: the cart row,
 * its lines with their variants' current catalog facts, its shipping method,
 * and what pricing it needs (tax rate, vouchers). Hot paths (cart mutations,
 * checkout) read one of these in one statement, price it in memory and answer
 * from it.
 */
export interface CartSnapshot {
  id: string;
  status: CartStatus;
  version: number;
  currency: string;
  email: string | null;
  customerId: string | null;
  /** The owning customer's account email (null for a guest cart). */
  customerEmail: string | null;
  shippingMethod: ShippingMethodSnapshot | null;
  shippingAddress: AddressValue | null;
  voucherCodes: string[];
  pricesValidatedAt: Date | null;
  nextLinePosition: number;
  updatedAt: Date;
  createdAt: Date;
  /** In the order the buyer added them (by position). */
  lines: CartLineSnapshot[];
  /** What pricing needs besides the cart, read in the same statement. */
  pricingInputs: PricingInputs;
}

export interface ShippingMethodSnapshot { id: string; name: string; price: number; currency: string }

export interface CartLineSnapshot {
  id: string;
  variantId: string;
  quantity: number;
  /** The unit price stored on the line: what the buyer was last shown. */
  unitPrice: number;
  position: number;
  /** The variant's current catalog price. */
  catalogPrice: number;
  variantCurrency: string;
  sku: string;
  variantName: string;
  productId: string;
  productName: string;
  /** The product's seller (marketplace payouts); null for the platform's own goods. */
  sellerId: string | null;
  /** DIGITAL lines never reserve stock, need no shipping and get a license per unit. */
  kind: VariantKind;
}

/**
 * Tax rate and vouchers, with what they were read for. A snapshot changed in
 * memory (another address, other codes) no longer matches its basis, and
 * `priceSnapshot` then reads the inputs again rather than price with stale ones.
 */
export interface PricingInputs {
  country: string | null;
  voucherCodes: readonly string[];
  taxRateBps: number;
  /** The vouchers of `voucherCodes` that exist, in that order (a deleted one simply stops counting). */
  vouchers: VoucherSnapshot[];
}

// ---------------------------------------------------------------------------------------------
// SQL

/** A line's catalog half (variant `v` joined to product `p`): what a line shows besides its own columns. */
export const VARIANT_FIELDS = [
  ['variantId', 'v.id'], ['catalogPrice', 'v.price'], ['variantCurrency', 'v.currency'], ['sku', 'v.sku'], ['variantName', 'v.name'],
  ['productId', 'v.product_id'], ['productName', 'p.name'], ['sellerId', 'p.seller_id'], ['kind', 'v.kind'],
] as const;

const LINE_FIELDS = [
  ['id', 'l.id'], ['quantity', 'l.quantity'], ['unitPrice', 'l.unit_price'], ['position', 'l.position'], ...VARIANT_FIELDS,
] as const;

/** The catalog facts of a line, as `VARIANT_FIELDS` reads them. */
export type VariantFacts = Omit<CartLineSnapshot, 'id' | 'quantity' | 'unitPrice' | 'position'>;

/**
 * Extra columns a caller appends to the snapshot read (e.g. a cart mutation's
 * look-ups), each a scalar expression; their `?` parameters come before the cart id's.
 */
export interface SnapshotExtras {
  columns: string[];
  params: unknown[];
  /** A common table expression the columns may use (`name as (…)`), with its parameters; it comes first in the statement. */
  prelude?: { sql: string; params: unknown[] };
}

function snapshotSql(d: CartDialect, extras: SnapshotExtras): string {
  // Joined with spaces, not newlines: the statement log prints it on one line.
  return [
    ...(extras.prelude ? [`with ${extras.prelude.sql}`] : []),
    'select c.id, c.status, c.currency, c.email, c.customer_id, cu.email as customer_email, c.voucher_codes,',
    'c.shipping_method_id, sm.name as shipping_method_name, sm.price as shipping_method_price, sm.currency as shipping_method_currency,',
    'c.shipping_address, c.version, c.prices_validated_at, c.next_line_position, c.created_at, c.updated_at, tr.rate_bps as tax_rate_bps,',
    `(select ${d.array(d.object(LINE_FIELDS))} from cart_lines l join variants v on v.id = l.variant_id join products p on p.id = v.product_id`,
    'where l.cart_id = c.id) as lines,',
    `${vouchersJson(d, `vo.code in (${d.elements('c.voucher_codes')})`)} as vouchers`,
    ...extras.columns.map((column) => `, ${column}`),
    'from carts c',
    'left join customers cu on cu.id = c.customer_id',
    'left join shipping_methods sm on sm.id = c.shipping_method_id',
    `left join tax_rates tr on tr.country = ${d.textKey('c.shipping_address', 'country')}`,
    'where c.id = ?',
  ].join(' ');
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The cart as plain data in one statement, or null when there is no such cart.
 * With `lock`, on PostgreSQL the cart row is locked first in a statement of its
 * own (see `lockCartRow` in cart-access.ts: under READ COMMITTED only a read
 * that starts after the lock sees the lines a concurrent change committed);
 * libSQL serializes writers, so there the read alone is enough. Call it inside
 * the caller's transaction for the lock to mean anything. Access rules are the
 * caller's (canAccessSnapshot).
 */
export async function loadCartSnapshot(em: EntityManager, cartId: string, options: { lock: boolean }): Promise<CartSnapshot | null> {
  if (options.lock && writeLock(em).lockMode) {
    const locked = await queryRows(em, 'select id from carts where id = ? for update', [cartId]);
    if (locked.length === 0) return null;
  }
  return (await readCartSnapshot(em, cartId))?.snapshot ?? null;
}

/** The snapshot read with a caller's extra columns, returned raw for the caller to map. */
export async function readCartSnapshot(
  em: EntityManager,
  cartId: string,
  extras: SnapshotExtras = { columns: [], params: [] },
): Promise<{ snapshot: CartSnapshot; row: Record<string, unknown> } | null> {
  const rows = await preparedRows(em, snapshotSql(cartDialect(em), extras), [...(extras.prelude?.params ?? []), ...extras.params, cartId]);
  return rows.length === 0 ? null : { snapshot: snapshotFromRow(rows[0]), row: rows[0] };
}

function snapshotFromRow(row: Record<string, unknown>): CartSnapshot {
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
    shippingMethod: row.shipping_method_id == null || row.shipping_method_name == null ? null : {
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
    lines: jsonOf<Record<string, unknown>[]>(row.lines).map(lineFromJson).sort((a, b) => a.position - b.position),
    pricingInputs: {
      country: shippingAddress?.country ?? null,
      voucherCodes: [...voucherCodes],
      taxRateBps: intOrNull(row.tax_rate_bps) ?? 0,
      vouchers: inCodeOrder(voucherCodes, vouchersFromJson(row.vouchers)),
    },
  };
}

function lineFromJson(json: Record<string, unknown>): CartLineSnapshot {
  return {
    id: String(json.id),
    quantity: intOf(json.quantity),
    unitPrice: intOf(json.unitPrice),
    position: intOf(json.position),
    ...variantFromJson(json),
  };
}

export function variantFromJson(json: Record<string, unknown>): VariantFacts {
  return {
    variantId: String(json.variantId),
    catalogPrice: intOf(json.catalogPrice),
    variantCurrency: String(json.variantCurrency),
    sku: String(json.sku),
    variantName: String(json.variantName),
    productId: String(json.productId),
    productName: String(json.productName),
    sellerId: stringOrNull(json.sellerId),
    kind: json.kind === VariantKind.DIGITAL ? VariantKind.DIGITAL : VariantKind.PHYSICAL,
  };
}

function inCodeOrder(codes: readonly string[], vouchers: readonly VoucherSnapshot[]): VoucherSnapshot[] {
  const byCode = new Map(vouchers.map((voucher) => [voucher.code, voucher]));
  return codes.flatMap((code) => byCode.get(code) ?? []);
}

// ---------------------------------------------------------------------------------------------
// Keys and prices

/** The same key `cartVersionKey` gives the same cart as an entity (invariant 6). */
export function snapshotVersionKey(snapshot: Omit<CartSnapshot, 'customerEmail'>): string {
  return versionKeyOf({
    lines: snapshot.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity, unitPrice: line.unitPrice, kind: line.kind })),
    voucherCodes: snapshot.voucherCodes,
    shippingMethodId: snapshot.shippingMethod?.id ?? null,
    address: snapshot.shippingAddress,
    currency: snapshot.currency,
    customerId: snapshot.customerId,
    email: snapshot.email,
  });
}

/** What pricing reads of a snapshot. */
export type PriceableCart = Pick<CartSnapshot, 'lines' | 'shippingMethod' | 'shippingAddress' | 'voucherCodes' | 'pricingInputs'>;

export interface SnapshotPricing {
  pricing: PricingResult;
  /** The cart's vouchers that exist, in the cart's order. */
  vouchers: VoucherSnapshot[];
  taxRateBps: number;
}

/**
 * The snapshot through the one pricing engine (invariant 2); a test holds it
 * to the same cart priced from its entities. No statement when the snapshot's
 * pricing inputs match its address and codes (they always do as read); one
 * when they were changed in memory since.
 */
export async function priceSnapshot(em: EntityManager, snapshot: PriceableCart, options: CartPricingOptions = {}): Promise<SnapshotPricing> {
  const inputs = inputsCover(snapshot) ? snapshot.pricingInputs : await loadPricingInputs(em, snapshot.shippingAddress?.country ?? null, snapshot.voucherCodes);
  return { pricing: priceSnapshotWith(snapshot, inputs, options), vouchers: inputs.vouchers, taxRateBps: inputs.taxRateBps };
}

/** The pure half of `priceSnapshot`, for callers that hold current inputs. */
export function priceSnapshotWith(snapshot: PriceableCart, inputs: PricingInputs, options: CartPricingOptions = {}): PricingResult {
  return priceCart({
    lines: snapshot.lines.map((line) => ({
      lineId: line.id,
      variantId: line.variantId,
      quantity: line.quantity,
      unitPrice: options.unitPrices?.get(line.variantId) ?? line.unitPrice,
      kind: line.kind,
    })),
    vouchers: inputs.vouchers.map((voucher) => ({ code: voucher.code, kind: voucher.kind, value: voucher.value })),
    shippingPrice: snapshot.shippingMethod?.price ?? null,
    taxRateBps: inputs.taxRateBps,
  });
}

function inputsCover(snapshot: PriceableCart): boolean {
  const { country, voucherCodes } = snapshot.pricingInputs;
  return country === (snapshot.shippingAddress?.country ?? null)
    && voucherCodes.length === snapshot.voucherCodes.length
    && voucherCodes.every((code, index) => code === snapshot.voucherCodes[index]);
}

/** Tax rate and vouchers for a country and codes, in one statement. */
export async function loadPricingInputs(em: EntityManager, country: string | null, voucherCodes: readonly string[]): Promise<PricingInputs> {
  const codes = [...voucherCodes];
  if (country === null && codes.length === 0) return { country, voucherCodes: codes, taxRateBps: 0, vouchers: [] };
  const d = cartDialect(em);
  const vouchers = codes.length > 0 ? vouchersJson(d, 'vo.code in (?)') : 'null';
  const [row] = await queryRows(em, `select (select rate_bps from tax_rates where country = ?) as tax_rate_bps, ${vouchers} as vouchers`, [
    country,
    ...(codes.length > 0 ? [codes] : []),
  ]);
  return { country, voucherCodes: codes, taxRateBps: intOrNull(row?.tax_rate_bps) ?? 0, vouchers: inCodeOrder(codes, vouchersFromJson(row?.vouchers)) };
}
