import type { EntityManager } from '../../db/orm';
import { VariantKind } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { fail, success, type Outcome } from '../shared/outcome';
import { availableUnitsColumn, shownUnits, type AvailableUnitsColumn } from './catalog-availability';
import { decodeCursor, encodeCursor } from './creation-cursor';
import { inList } from './sql-in-list';
import { preparedRows } from '../../db/prepared-statements';

export const MAX_PAGE_SIZE = 100;

/**
 * Catalog rows as the public queries show them: plain data, read with explicit
 * column lists through `em.execute`. The storefront's busiest read goes through
 * here, and building entities (identity map, hydration, query builder) only to
 * copy a few columns into GraphQL objects cost most of its CPU.
 */
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
  /** Units available, when the read was asked for them (catalog-availability.ts). */
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

export interface ProductPage {
  products: ProductRow[];
  hasNextPage: boolean;
  endCursor: string | null;
}

// Aliased so that a product can be read beside a variant without a name clash.
const PRODUCT_COLUMNS = 'p.id as product_id, p.name as product_name, p.created_at as product_created_at, p.seller_id, s.name as seller_name';
const SELLER_JOIN = 'left join sellers s on s.id = p.seller_id';
const VARIANT_COLUMNS =
  'v.id as variant_id, v.product_id as variant_product_id, v.sku, v.name as variant_name, v.price, v.currency, v.kind as variant_kind, v.max_licenses';

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
  available_units?: string | number;
}

export class CatalogQueryService {
  constructor(private readonly em: EntityManager) {}

  /** One statement: first + 1 rows tell whether another page exists; sellers come joined. */
  async listProducts(first: number, after: string | null): Promise<Outcome<ProductPage>> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      return fail(ErrorCode.VALIDATION_FAILED, `first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after == null ? null : decodeCursor(after);
    if (after != null && !position) return fail(ErrorCode.VALIDATION_FAILED, 'after is not a cursor from this API.', 'after');
    if (first === 0) return success({ products: [], hasNextPage: false, endCursor: after });

    // Keyset over (created_at, id), strictly after the cursor's position.
    const where = position ? 'where (p.created_at > ? or (p.created_at = ? and p.id > ?))' : '';
    const params: unknown[] = [];
    if (position) {
      const at = this.em.getPlatform().processDateProperty(position.createdAt);
      params.push(at, at, position.id);
    }
    params.push(first + 1);
    const rows = await preparedRows<RawProduct>(
      this.em,
      `select ${PRODUCT_COLUMNS} from products p ${SELLER_JOIN} ${where} order by p.created_at, p.id limit ?`,
      params,
    );
    const products = rows.slice(0, first).map((row) => this.product(row));
    const last = products.at(-1);
    return success({ products, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : after });
  }

  async findProduct(id: string): Promise<ProductRow | null> {
    return (await this.productsById([id])).get(id) ?? null;
  }

  /** Products (sellers joined) by id, one statement; ids that are not UUIDs cannot exist and are skipped. */
  async productsById(ids: readonly string[]): Promise<Map<string, ProductRow>> {
    const wanted = ids.filter(isId);
    if (wanted.length === 0) return new Map();
    const rows = await this.em.execute<RawProduct[]>(
      `select ${PRODUCT_COLUMNS} from products p ${SELLER_JOIN} where p.id in (${inList(wanted.length)})`,
      wanted,
    );
    return new Map(rows.map((row) => [row.product_id, this.product(row)]));
  }

  /** A variant with its product and the product's seller (and its availability, as in variantsOfProducts), one statement. */
  async findVariant(id: string, options: { availableAt?: Date } = {}): Promise<VariantWithProductRow | null> {
    if (!isId(id)) return null;
    const available = this.availableColumn(options.availableAt);
    const [row] = await this.em.execute<(RawVariant & RawProduct)[]>(
      `select ${VARIANT_COLUMNS}${available.sql}, ${PRODUCT_COLUMNS}
       from variants v join products p on p.id = v.product_id ${SELLER_JOIN} where v.id = ?`,
      [...available.params, id],
    );
    return row ? { ...variant(row), product: this.product(row) } : null;
  }

  /**
   * The variants of each product, in a stable order (creation, then sku); one
   * statement for all of them. With `availableAt`, each also carries its
   * availability at that time, computed in the same statement.
   */
  async variantsOfProducts(productIds: readonly string[], options: { availableAt?: Date } = {}): Promise<Map<string, VariantRow[]>> {
    const grouped = new Map<string, VariantRow[]>(productIds.map((id) => [id, []]));
    const wanted = productIds.filter(isId);
    if (wanted.length === 0) return grouped;
    const available = this.availableColumn(options.availableAt);
    const rows = await preparedRows<RawVariant>(
      this.em,
      `select ${VARIANT_COLUMNS}${available.sql} from variants v where v.product_id in (${inList(wanted.length)}) order by v.created_at, v.sku`,
      [...available.params, ...wanted],
    );
    for (const row of rows) grouped.get(row.variant_product_id)?.push(variant(row));
    return grouped;
  }

  /** Sellers by id, one statement. */
  async sellersById(ids: readonly string[]): Promise<Map<string, SellerRow>> {
    const wanted = ids.filter(isId);
    if (wanted.length === 0) return new Map();
    const rows = await this.em.execute<SellerRow[]>(`select s.id, s.name from sellers s where s.id in (${inList(wanted.length)})`, wanted);
    return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name }]));
  }

  async shippingMethods(currency: string): Promise<ShippingMethodRow[]> {
    const rows = await this.em.execute<(Omit<ShippingMethodRow, 'price'> & { price: string | number })[]>(
      'select m.id, m.name, m.price, m.currency from shipping_methods m where m.currency = ? order by m.price, m.name, m.id',
      [currency],
    );
    return rows.map((row) => ({ id: row.id, name: row.name, price: Number(row.price), currency: row.currency }));
  }

  /** `, <availability> as available_units` after the variant columns when asked for, else nothing. */
  private availableColumn(at: Date | undefined): AvailableUnitsColumn {
    if (!at) return { sql: '', params: [] };
    const column = availableUnitsColumn(this.em, at);
    return { sql: `, ${column.sql} as available_units`, params: column.params };
  }

  private product(row: RawProduct): ProductRow {
    return {
      id: row.product_id,
      name: row.product_name,
      createdAt: this.em.getPlatform().parseDate(row.product_created_at),
      sellerId: row.seller_id,
      seller: row.seller_id != null && row.seller_name != null ? { id: row.seller_id, name: row.seller_name } : null,
    };
  }
}

function variant(row: RawVariant): VariantRow {
  const mapped: VariantRow = {
    id: row.variant_id,
    productId: row.variant_product_id,
    sku: row.sku,
    name: row.variant_name,
    price: Number(row.price),
    currency: row.currency,
    kind: row.variant_kind === VariantKind.DIGITAL ? VariantKind.DIGITAL : VariantKind.PHYSICAL,
    maxLicenses: row.max_licenses === null || row.max_licenses === undefined ? null : Number(row.max_licenses),
  };
  if (row.available_units !== undefined) mapped.available = shownUnits(row.variant_id, row.available_units);
  return mapped;
}
