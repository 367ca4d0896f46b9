import { OrderStoreBase } from '../shared/order-store.base';
import { PLAIN_READ } from '../shared/row-lock';

/** Orders on libSQL: its writers are serialized, so a lock is a plain read. */
export class LibsqlOrderStore extends OrderStoreBase {
  constructor() {
    super(PLAIN_READ);
  }
}
