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
  };
}
