import { CreditStoreBase } from '../shared/credit-store.base';
import { FOR_UPDATE } from '../shared/row-lock';

/** The credit ledger on PostgreSQL: the holder's customer row, FOR UPDATE. */
export class PgCreditStore extends CreditStoreBase {
  constructor() {
    super(FOR_UPDATE);
  }
}
