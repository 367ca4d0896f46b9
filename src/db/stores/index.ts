import type { Database } from '../database';
import type { CartStore } from './cart-store';
import type { CheckoutStore } from './checkout-store';
import type { CreditStore } from './credit-store';
import { LibsqlCartStore } from './libsql/cart-store.libsql';
import { LibsqlCheckoutStore } from './libsql/checkout-store.libsql';
import { LibsqlCreditStore } from './libsql/credit-store.libsql';
import { LibsqlOrderStore } from './libsql/order-store.libsql';
import { LibsqlVoucherStore } from './libsql/voucher-store.libsql';
import type { OrderStore } from './order-store';
import { PgCartStore } from './postgres/cart-store.pg';
import { PgCheckoutStore } from './postgres/checkout-store.pg';
import { PgCreditStore } from './postgres/credit-store.pg';
import { PgOrderStore } from './postgres/order-store.pg';
import { PgVoucherStore } from './postgres/voucher-store.pg';
import type { VoucherStore } from './voucher-store';
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
  readonly vouchers: VoucherStore;
  readonly orders: OrderStore;
  readonly credit: CreditStore;
  readonly checkouts: CheckoutStore;
  /** Stock on hand and the reservations that promise it. */
  readonly stock: StockStore;
  /** License units of DIGITAL variants and the licenses issued. */
  readonly licenses: LicenseStore;
  /** The public catalog's reads. */
  readonly catalog: CatalogStore;
}

export function createStores(db: Database): Stores {
  const postgres = db.dialect === 'postgresql';
  return {
    db,
    carts: postgres ? new PgCartStore() : new LibsqlCartStore(db),
    vouchers: postgres ? new PgVoucherStore() : new LibsqlVoucherStore(),
    orders: postgres ? new PgOrderStore() : new LibsqlOrderStore(),
    credit: postgres ? new PgCreditStore() : new LibsqlCreditStore(),
    checkouts: postgres ? new PgCheckoutStore() : new LibsqlCheckoutStore(),
    stock: postgres ? new PgStockStore() : new LibsqlStockStore(),
    licenses: new SqlLicenseStore(),
    catalog: new SqlCatalogStore(),
  };
}
