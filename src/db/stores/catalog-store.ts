import { ReservationStatus, VariantKind, type BillingInterval } from '../../entities/enums';
import { variantKindOf } from '../../services/catalog/variant-kinds';
import { isId } from '../../services/shared/ids';
import { logger } from '../../services/shared/logger';
import type { UnitOfWork } from '../unit-of-work';

export interface SellerRow {
  id: string;
  name: string;
}

export interface ProductRow {
  id: string;
  name: string;
  createdAt: Date;
  sellerId: string | null;
  /** Joined with the product, so showing it costs no statement of its own. */
  seller: SellerRow | null;
}

export interface VariantRow {
  id: string;
  productId: string;
  sku: string;
  name: string;
  price: number;
  currency: string;
  kind: VariantKind;
  maxLicenses: number | null;
  /** SUBSCRIPTION only: the plan's renewal interval; null for every other kind. */
  billingInterval: BillingInterval | null;
  billingIntervalCount: number | null;
  /** Units available, when the read was asked for them. */
  available?: number;
}

export interface VariantWithProductRow extends VariantRow {
  product: ProductRow;
}

export interface ShippingMethodRow {
  id: string;
  name: string;
  price: number;
  currency: string;
}

/** A product's place in the catalog's (creation time, id) order. */
export interface CatalogPosition {
  createdAt: Date;
  id: string;
}

/**
 * What a DIGITAL variant with no cap shows: it has no stock and never runs
 * out, so the largest GraphQL Int stands for "unlimited" in an Int! field.
 */
export const UNLIMITED_DIGITAL_UNITS = 2_147_483_647;

/**
 * The public catalog's reads, as plain rows read with explicit column lists:
 * the storefront's busiest reads go through here, and building entities
 * (identity map, hydration) only to copy a few columns into GraphQL objects
 * would cost most of their CPU. Ids that are not ids cannot exist and are
 * skipped before any SQL. `availableAt` adds each variant's availability at
 * that time to the same statement: Σ on hand over every warehouse minus the
 * ACTIVE reservations still unexpired then, never below 0 (the same rule as
 * StockStore.available, which checkout uses under its locks); a DIGITAL
 * variant shows the licenses its cap still allows, or UNLIMITED_DIGITAL_UNITS.
 */
export interface CatalogStore {
  /** Up to `limit` products strictly after `after` in (creation time, id) order, sellers joined; one statement. */
  productsAfter(uow: UnitOfWork, after: CatalogPosition | null, limit: number): Promise<ProductRow[]>;
  /** Products (sellers joined) by id; one statement. */
  productsById(uow: UnitOfWork, ids: readonly string[]): Promise<Map<string, ProductRow>>;
  /** A variant with its product and the product's seller; one statement. */
  variantWithProduct(uow: UnitOfWork, id: string, availableAt?: Date): Promise<VariantWithProductRow | null>;
  /** Each product's variants in a stable order (creation, then sku), every asked id present; one statement for all. */
  variantsOfProducts(uow: UnitOfWork, productIds: readonly string[], availableAt?: Date): Promise<Map<string, VariantRow[]>>;
  /** Sellers by id; one statement. */
  sellersById(uow: UnitOfWork, ids: readonly string[]): Promise<Map<string, SellerRow>>;
  /** Shipping methods in a currency, cheapest first; one statement. */
  shippingMethods(uow: UnitOfWork, currency: string): Promise<ShippingMethodRow[]>;
  /** Units each variant can promise at `now`, every asked id answered once (unknown ones 0); one statement whatever their number. */
  availableUnits(uow: UnitOfWork, variantIds: readonly string[], now: Date): Promise<Map<string, number>>;
}

// Aliased so that a product can be read beside a variant without a name clash.
const PRODUCT_COLUMNS = 'p.id as product_id, p.name as product_name, p.created_at as product_created_at, p.seller_id, s.name as seller_name';
const SELLER_JOIN = 'left join sellers s on s.id = p.seller_id';
const VARIANT_COLUMNS =
  'v.id as variant_id, v.product_id as variant_product_id, v.sku, v.name as variant_name, v.price, v.currency, v.kind as variant_kind, v.max_licenses, v.billing_interval, v.billing_interval_count';

interface RawProduct {
  product_id: string;
  product_name: string;
  // libSQL answers epoch milliseconds; PostgreSQL's driver (as MikroORM sets it up) the timestamp text.
  product_created_at: string | number;
  seller_id: string | null;
  seller_name: string | null;
}

interface RawVariant {
  variant_id: string;
  variant_product_id: string;
  sku: string;
  variant_name: string;
  // bigint: PostgreSQL's driver hands it back as text.
  price: string | number;
  currency: string;
  variant_kind: string;
  max_licenses: string | number | null;
  billing_interval?: string | null;
  billing_interval_count?: string | number | null;
  available_units?: string | number;
}

/** An expression over `variants v` with its parameters, which come first in the statement's. */
interface Column {
  sql: string;
  params: unknown[];
}

/** Both dialects run the same statements. */
export class SqlCatalogStore implements CatalogStore {
  async productsAfter(uow: UnitOfWork, after: CatalogPosition | null, limit: number): Promise<ProductRow[]> {
    // Keyset over (created_at, id), strictly after the position.
    const where = after ? 'where (p.created_at > ? or (p.created_at = ? and p.id > ?))' : '';
    const at = after ? uow.sql.time(after.createdAt) : null;
    const params = after ? [at, at, after.id, limit] : [limit];
    const rows = await uow.sql.rows<RawProduct>(
      `select ${PRODUCT_COLUMNS} from products p ${SELLER_JOIN} ${where} order by p.created_at, p.id limit ?`,
      params,
    );
    return rows.map((row) => productOf(uow, row));
  }

  async productsById(uow: UnitOfWork, ids: readonly string[]): Promise<Map<string, ProductRow>> {
    const wanted = ids.filter(isId);
    if (wanted.length === 0) return new Map();
    const rows = await uow.sql.rows<RawProduct>(`select ${PRODUCT_COLUMNS} from products p ${SELLER_JOIN} where p.id in (?)`, [wanted]);
    return new Map(rows.map((row) => [row.product_id, productOf(uow, row)]));
  }

  async variantWithProduct(uow: UnitOfWork, id: string, availableAt?: Date): Promise<VariantWithProductRow | null> {
    if (!isId(id)) return null;
    const available = availableColumn(uow, availableAt);
    const [row] = await uow.sql.rows<RawVariant & RawProduct>(
      `select ${VARIANT_COLUMNS}${available.sql}, ${PRODUCT_COLUMNS} from variants v join products p on p.id = v.product_id ${SELLER_JOIN} where v.id = ?`,
      [...available.params, id],
    );
    return row ? { ...variantOf(row), product: productOf(uow, row) } : null;
  }

  async variantsOfProducts(uow: UnitOfWork, productIds: readonly string[], availableAt?: Date): Promise<Map<string, VariantRow[]>> {
    const grouped = new Map<string, VariantRow[]>(productIds.map((id) => [id, []]));
    const wanted = productIds.filter(isId);
    if (wanted.length === 0) return grouped;
    const available = availableColumn(uow, availableAt);
    const rows = await uow.sql.rows<RawVariant>(
      `select ${VARIANT_COLUMNS}${available.sql} from variants v where v.product_id in (?) order by v.created_at, v.sku`,
      [...available.params, wanted],
    );
    for (const row of rows) grouped.get(row.variant_product_id)?.push(variantOf(row));
    return grouped;
  }

  async sellersById(uow: UnitOfWork, ids: readonly string[]): Promise<Map<string, SellerRow>> {
    const wanted = ids.filter(isId);
    if (wanted.length === 0) return new Map();
    const rows = await uow.sql.rows<SellerRow>('select s.id, s.name from sellers s where s.id in (?)', [wanted]);
    return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name }]));
  }

  async shippingMethods(uow: UnitOfWork, currency: string): Promise<ShippingMethodRow[]> {
    const rows = await uow.sql.rows<Omit<ShippingMethodRow, 'price'> & { price: string | number }>(
      'select m.id, m.name, m.price, m.currency from shipping_methods m where m.currency = ? order by m.price, m.name, m.id',
      [currency],
    );
    return rows.map((row) => ({ id: row.id, name: row.name, price: Number(row.price), currency: row.currency }));
  }

  async availableUnits(uow: UnitOfWork, variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
    const ids = [...new Set(variantIds)];
    const available = new Map<string, number>(ids.map((id) => [id, 0]));
    const known = ids.filter(isId);
    if (known.length === 0) return available;
    const column = availableUnits(uow, now);
    const rows = await uow.sql.rows<{ variant_id: string; units: string | number }>(
      `select v.id as variant_id, ${column.sql} as units from variants v where v.id in (?)`,
      [...column.params, known],
    );
    for (const row of rows) available.set(row.variant_id, shownUnits(row.variant_id, row.units));
    return available;
  }
}

/** The availability figure of `variants v` at `now`, before it is clamped at 0 (shownUnits). */
function availableUnits(uow: UnitOfWork, now: Date): Column {
  return {
    // A plan holds no stock and sells without limit (one per cart, one live per customer).
    sql: `case when v.kind = '${VariantKind.SUBSCRIPTION}' then ${UNLIMITED_DIGITAL_UNITS} when v.kind = '${VariantKind.DIGITAL}' then coalesce(v.max_licenses - v.licenses_claimed, ${UNLIMITED_DIGITAL_UNITS}) else
      (select coalesce(sum(s.on_hand), 0) from stock_levels s where s.variant_id = v.id)
      - (select coalesce(sum(r.quantity), 0) from reservations r where r.variant_id = v.id and r.status in (?) and r.expires_at > ?) end`,
    params: [ReservationStatus.ACTIVE, uow.sql.time(now)],
  };
}

/** `, <availability> as available_units` after the variant columns when asked for, else nothing. */
function availableColumn(uow: UnitOfWork, at: Date | undefined): Column {
  if (!at) return { sql: '', params: [] };
  const column = availableUnits(uow, at);
  return { sql: `, ${column.sql} as available_units`, params: column.params };
}

/**
 * The figure shown: never below 0. A negative raw figure means invariant 5
 * broke somewhere, so it is logged. Sums are bigint on PostgreSQL, text from its driver.
 */
function shownUnits(variantId: string, raw: string | number): number {
  const units = Number(raw);
  if (units < 0) logger.warn('inventory.negative_availability', { variantId, units });
  return Math.max(0, units);
}

function productOf(uow: UnitOfWork, row: RawProduct): ProductRow {
  return {
    id: row.product_id,
    name: row.product_name,
    createdAt: uow.em.getPlatform().parseDate(row.product_created_at),
    sellerId: row.seller_id,
    seller: row.seller_id != null && row.seller_name != null ? { id: row.seller_id, name: row.seller_name } : null,
  };
}

function variantOf(row: RawVariant): VariantRow {
  const mapped: VariantRow = {
    id: row.variant_id,
    productId: row.variant_product_id,
    sku: row.sku,
    name: row.variant_name,
    price: Number(row.price),
    currency: row.currency,
    kind: variantKindOf(row.variant_kind),
    billingInterval: (row.billing_interval as BillingInterval | null) ?? null,
    billingIntervalCount: row.billing_interval_count === null || row.billing_interval_count === undefined ? null : Number(row.billing_interval_count),
    maxLicenses: row.max_licenses === null || row.max_licenses === undefined ? null : Number(row.max_licenses),
  };
  if (row.available_units !== undefined) mapped.available = shownUnits(row.variant_id, row.available_units);
  return mapped;
}
