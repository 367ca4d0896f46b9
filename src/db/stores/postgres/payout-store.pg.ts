import { PayoutStoreBase } from '../shared/payout-store.base';
import { claimWithLeasePg } from './lease-claim.pg';

export class PgPayoutStore extends PayoutStoreBase {
  protected readonly claimWithLease = claimWithLeasePg;
}
