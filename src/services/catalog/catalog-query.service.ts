import type { EntityManager } from '../../db/orm';
import { Product, ShippingMethod, Variant } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { fail, success, type Outcome } from '../shared/outcome';
import { afterPosition, decodeCursor, encodeCursor } from './creation-cursor';

export const MAX_PAGE_SIZE = 100;

export interface ProductPage {
  products: Product[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Catalog reads for the public queries. Relations are left to the per-request loaders. */
export class CatalogQueryService {
  constructor(private readonly em: EntityManager) {}

  /** One statement: it fetches first + 1 rows to learn whether another page exists. */
  async listProducts(first: number, after: string | null): Promise<Outcome<ProductPage>> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      return fail(ErrorCode.VALIDATION_FAILED, `first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after == null ? null : decodeCursor(after);
    if (after != null && !position) return fail(ErrorCode.VALIDATION_FAILED, 'after is not a cursor from this API.', 'after');
    if (first === 0) return success({ products: [], hasNextPage: false, endCursor: after });

    const rows = await this.em.find(Product, position ? afterPosition(position) : {}, {
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      limit: first + 1,
    });
    const products = rows.slice(0, first);
    const last = products.at(-1);
    return success({ products, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : after });
  }

  findProduct(id: string): Promise<Product | null> {
    return isId(id) ? this.em.findOne(Product, { id }) : Promise.resolve(null);
  }

  findVariant(id: string): Promise<Variant | null> {
    return isId(id) ? this.em.findOne(Variant, { id }) : Promise.resolve(null);
  }

  shippingMethods(currency: string): Promise<ShippingMethod[]> {
    return this.em.find(ShippingMethod, { currency }, { orderBy: [{ price: 'asc' }, { name: 'asc' }, { id: 'asc' }] });
  }
}
