import type { Session } from '../../db/request-session';
import type { CatalogStore, ProductRow, SellerRow, ShippingMethodRow, VariantRow, VariantWithProductRow } from '../../db/stores/catalog-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { fail, success, type Outcome } from '../shared/outcome';
import { decodeCursor, encodeCursor } from './creation-cursor';

export type { ProductRow, SellerRow, ShippingMethodRow, VariantRow, VariantWithProductRow } from '../../db/stores/catalog-store';

export const MAX_PAGE_SIZE = 100;

export interface ProductPage {
  products: ProductRow[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * The public catalog as one request reads it: plain rows from the catalog
 * store (no entity is built on this path), outside any transaction.
 */
export class CatalogQueryService {
  private readonly uow: UnitOfWork;
  private readonly catalog: CatalogStore;

  constructor(session: Session, deps: Pick<AppDeps, 'db' | 'stores'>) {
    this.uow = deps.db.unitOfWork(session);
    this.catalog = deps.stores.catalog;
  }

  /** One statement: first + 1 rows tell whether another page exists; sellers come joined. */
  async listProducts(first: number, after: string | null): Promise<Outcome<ProductPage>> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      return fail(ErrorCode.VALIDATION_FAILED, `first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after == null ? null : decodeCursor(after);
    if (after != null && !position) return fail(ErrorCode.VALIDATION_FAILED, 'after is not a cursor from this API.', 'after');
    if (first === 0) return success({ products: [], hasNextPage: false, endCursor: after });

    const rows = await this.catalog.productsAfter(this.uow, position, first + 1);
    const products = rows.slice(0, first);
    const last = products.at(-1);
    return success({ products, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : after });
  }

  async findProduct(id: string): Promise<ProductRow | null> {
    return (await this.productsById([id])).get(id) ?? null;
  }

  /** Products (sellers joined) by id, one statement; ids that are not UUIDs cannot exist and are skipped. */
  productsById(ids: readonly string[]): Promise<Map<string, ProductRow>> {
    return this.catalog.productsById(this.uow, ids);
  }

  /** A variant with its product and the product's seller (and its availability, as in variantsOfProducts), one statement. */
  findVariant(id: string, options: { availableAt?: Date } = {}): Promise<VariantWithProductRow | null> {
    return this.catalog.variantWithProduct(this.uow, id, options.availableAt);
  }

  /**
   * The variants of each product, in a stable order (creation, then sku); one
   * statement for all of them. With `availableAt`, each also carries its
   * availability at that time, computed in the same statement.
   */
  variantsOfProducts(productIds: readonly string[], options: { availableAt?: Date } = {}): Promise<Map<string, VariantRow[]>> {
    return this.catalog.variantsOfProducts(this.uow, productIds, options.availableAt);
  }

  /** Sellers by id, one statement. */
  sellersById(ids: readonly string[]): Promise<Map<string, SellerRow>> {
    return this.catalog.sellersById(this.uow, ids);
  }

  shippingMethods(currency: string): Promise<ShippingMethodRow[]> {
    return this.catalog.shippingMethods(this.uow, currency);
  }

  /** Units available per variant at `now`, one statement; informational (checkout re-checks under its locks). */
  availableUnits(variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
    return this.catalog.availableUnits(this.uow, variantIds, now);
  }
}
