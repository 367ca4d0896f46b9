import { PayoutStoreBase } from '../payout-store';
import { claimWithLeaseLibsql } from './lease-claim.libsql';

export class LibsqlPayoutStore extends PayoutStoreBase {
  protected readonly claimWithLease = claimWithLeaseLibsql;
}
