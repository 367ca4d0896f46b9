import { OrderStoreBase } from '../shared/order-store.base';
import { FOR_UPDATE } from '../shared/row-lock';

/** Orders on PostgreSQL: a lock is the rows' FOR UPDATE. */
export class PgOrderStore extends OrderStoreBase {
  constructor() {
    super(FOR_UPDATE);
  }
}
