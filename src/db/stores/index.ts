import type { Database } from '../database';
import { LibsqlVoucherStore } from './libsql/voucher-store.libsql';
import { PgVoucherStore } from './postgres/voucher-store.pg';
import type { VoucherStore } from './voucher-store';

/**
 * Every statement the services need, one store per aggregate, each an
 * interface in domain words with one implementation per dialect. The dialect
 * is chosen here, once; a service never asks which database it runs on.
 */
export interface Stores {
  readonly db: Database;
  readonly vouchers: VoucherStore;
}

export function createStores(db: Database): Stores {
  const postgres = db.dialect === 'postgresql';
  return {
    db,
    vouchers: postgres ? new PgVoucherStore() : new LibsqlVoucherStore(),
  };
}
