import type { Database } from '../database';
import { SqlAuthStore, type AuthStore } from './auth-store';
import type { CartStore } from './cart-store';
import { LibsqlCartStore } from './libsql/cart-store.libsql';
import { PgCartStore } from './postgres/cart-store.pg';
import { SqlCatalogStore, type CatalogStore } from './catalog-store';
import { LibsqlStockStore } from './libsql/stock-store.libsql';
import { SqlLicenseStore, type LicenseStore } from './license-store';
import { PgStockStore } from './postgres/stock-store.pg';
import type { StockStore } from './stock-store';

/**
 * Every statement the services need, one store per aggregate, each an
 * interface in domain words with one implementation per dialect. The dialect
 * is chosen here, once; a service never asks which database it runs on.
 */
export interface Stores {
  readonly db: Database;
  readonly carts: CartStore;
  /** Stock on hand and the reservations that promise it. */
  readonly stock: StockStore;
  /** License units of DIGITAL variants and the licenses issued. */
  readonly licenses: LicenseStore;
  /** The public catalog's reads. */
  readonly catalog: CatalogStore;
  /** Customers' roles and token versions, as bearer tokens are checked against them. */
  readonly auth: AuthStore;
}

export function createStores(db: Database): Stores {
  const postgres = db.dialect === 'postgresql';
  return {
    db,
    carts: postgres ? new PgCartStore() : new LibsqlCartStore(db),
    stock: postgres ? new PgStockStore() : new LibsqlStockStore(),
    licenses: new SqlLicenseStore(),
    catalog: new SqlCatalogStore(),
    auth: new SqlAuthStore(),
  };
}
