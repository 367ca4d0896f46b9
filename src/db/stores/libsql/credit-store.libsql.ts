import { CreditStoreBase } from '../shared/credit-store.base';
import { PLAIN_READ } from '../shared/row-lock';

/** The credit ledger on libSQL: its writers are serialized, so the holder's row is read plainly. */
export class LibsqlCreditStore extends CreditStoreBase {
  constructor() {
    super(PLAIN_READ);
  }
}
