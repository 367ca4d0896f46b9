import { PayoutStoreBase } from '../payout-store';
import { claimWithLeasePg } from './lease-claim.pg';

export class PgPayoutStore extends PayoutStoreBase {
  protected readonly claimWithLease = claimWithLeasePg;
}
