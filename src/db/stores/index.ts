import type { Database } from '../database';
import type { CartStore } from './cart-store';
import { LibsqlCartStore } from './libsql/cart-store.libsql';
import { PgCartStore } from './postgres/cart-store.pg';

/**
 * Every statement the services need, one store per aggregate, each an
 * interface in domain words with one implementation per dialect. The dialect
 * is chosen here, once; a service never asks which database it runs on.
 */
export interface Stores {
  readonly db: Database;
  readonly carts: CartStore;
}

export function createStores(db: Database): Stores {
  const postgres = db.dialect === 'postgresql';
  return {
    db,
    carts: postgres ? new PgCartStore() : new LibsqlCartStore(db),
  };
}
