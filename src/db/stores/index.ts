import type { Database } from '../database';
import type { CartStore } from './cart-store';
import { SqlCatalogStore, type CatalogStore } from './catalog-store';
import type { CheckoutStore } from './checkout-store';
import type { CreditStore } from './credit-store';
import { SqlCustomerStore, type CustomerStore } from './customer-store';
import { LibsqlCartStore } from './libsql/cart-store.libsql';
import { LibsqlCheckoutStore } from './libsql/checkout-store.libsql';
import { LibsqlCreditStore } from './libsql/credit-store.libsql';
import { LibsqlOperationsStore } from './libsql/operations-store.libsql';
import { LibsqlOrderStore } from './libsql/order-store.libsql';
import { LibsqlOutboxStore } from './libsql/outbox-store.libsql';
import { LibsqlPayoutStore } from './libsql/payout-store.libsql';
import { LibsqlRenewalStore } from './libsql/renewal-store.libsql';
import { MemoryRateLimitStore } from './libsql/rate-limit-store.libsql';
import { LibsqlSagaStore } from './libsql/saga-store.libsql';
import { LibsqlStockStore } from './libsql/stock-store.libsql';
import { LibsqlVoucherStore } from './libsql/voucher-store.libsql';
import { SqlLicenseStore, type LicenseStore } from './license-store';
import type { OperationsStore } from './operations-store';
import type { OrderStore } from './order-store';
import type { OutboxStore } from './outbox-store';
import { SqlPartnerStore, type PartnerStore } from './partner-store';
import type { PayoutStore } from './payout-store';
import { PgCartStore } from './postgres/cart-store.pg';
import { PgCheckoutStore } from './postgres/checkout-store.pg';
import { PgCreditStore } from './postgres/credit-store.pg';
import { PgOperationsStore } from './postgres/operations-store.pg';
import { PgOrderStore } from './postgres/order-store.pg';
import { PgOutboxStore } from './postgres/outbox-store.pg';
import { PgPayoutStore } from './postgres/payout-store.pg';
import { PgRateLimitStore } from './postgres/rate-limit-store.pg';
import { PgRenewalStore } from './postgres/renewal-store.pg';
import { PgSagaStore } from './postgres/saga-store.pg';
import { PgStockStore } from './postgres/stock-store.pg';
import { PgVoucherStore } from './postgres/voucher-store.pg';
import type { RateLimitStore } from './rate-limit-store';
import type { RenewalStore } from './renewal-store';
import type { SagaStore } from './saga-store';
import type { StockStore } from './stock-store';
import type { VoucherStore } from './voucher-store';
import { SqlSubscriptionStore, type SubscriptionStore } from './subscription-store';
import { SqlWorkStore, type WorkStore } from './work-store';

/**
 * Every statement the services need, one store per aggregate, each an
 * interface in domain words with one implementation per dialect. The dialect
 * is chosen here, once; a service never asks which database it runs on.
 */
export interface Stores {
  readonly db: Database;
  readonly carts: CartStore;
  readonly outbox: OutboxStore;
  readonly payouts: PayoutStore;
  readonly sagas: SagaStore;
  /** The background workers' one due statement per tick, and the due checks of workers whose rounds read through the ORM. */
  readonly work: WorkStore;
  /** The rate limits' counters: a table shared by every process on PostgreSQL, process memory on the embedded file. */
  readonly rateLimits: RateLimitStore;
  readonly operations: OperationsStore;
  readonly partners: PartnerStore;
  /** Voucher holds and counted uses. */
  readonly vouchers: VoucherStore;
  /** Row locks on orders and their payments. */
  readonly orders: OrderStore;
  /** The store-credit ledger's holder lock. */
  readonly credit: CreditStore;
  /** confirmCheckout's cart read and the guest-cart admission check. */
  readonly checkouts: CheckoutStore;
  /** Stock on hand and the reservations that promise it. */
  readonly stock: StockStore;
  /** License units of DIGITAL variants and the licenses issued. */
  readonly licenses: LicenseStore;
  /** The public catalog's reads. */
  readonly catalog: CatalogStore;
  /** Accounts' token standing and revocation. */
  readonly customers: CustomerStore;
  /** Subscription renewals: ended subscriptions, their new periods, the charges due. */
  readonly renewals: RenewalStore;
  /** Subscriptions as a plan's checkout starts them (one per customer and plan while live). */
  readonly subscriptions: SubscriptionStore;
}

export function createStores(db: Database): Stores {
  const postgres = db.dialect === 'postgresql';
  return {
    db,
    carts: postgres ? new PgCartStore() : new LibsqlCartStore(db),
    outbox: postgres ? new PgOutboxStore(db) : new LibsqlOutboxStore(db),
    payouts: postgres ? new PgPayoutStore() : new LibsqlPayoutStore(),
    sagas: postgres ? new PgSagaStore() : new LibsqlSagaStore(),
    work: new SqlWorkStore(db),
    rateLimits: postgres ? new PgRateLimitStore(db) : new MemoryRateLimitStore(),
    operations: postgres ? new PgOperationsStore() : new LibsqlOperationsStore(),
    partners: new SqlPartnerStore(),
    vouchers: postgres ? new PgVoucherStore() : new LibsqlVoucherStore(),
    orders: postgres ? new PgOrderStore() : new LibsqlOrderStore(),
    credit: postgres ? new PgCreditStore() : new LibsqlCreditStore(),
    checkouts: postgres ? new PgCheckoutStore() : new LibsqlCheckoutStore(),
    stock: postgres ? new PgStockStore() : new LibsqlStockStore(),
    licenses: new SqlLicenseStore(),
    catalog: new SqlCatalogStore(),
    customers: new SqlCustomerStore(),
    renewals: postgres ? new PgRenewalStore() : new LibsqlRenewalStore(),
    subscriptions: new SqlSubscriptionStore(),
  };
}
