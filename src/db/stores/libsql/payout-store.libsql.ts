import { PayoutStoreBase } from '../shared/payout-store.base';
import { claimWithLeaseLibsql } from './lease-claim.libsql';

export class LibsqlPayoutStore extends PayoutStoreBase {
  protected readonly claimWithLease = claimWithLeaseLibsql;
}
