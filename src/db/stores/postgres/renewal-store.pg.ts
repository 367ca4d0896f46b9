import { claimWithLeasePg } from './lease-claim.pg';
import { RenewalStoreBase } from '../shared/renewal-store.base';

/** Renewals on PostgreSQL: a claimed subscription is locked and skipped by other processes' claims, which never wait for it. */
export class PgRenewalStore extends RenewalStoreBase {
  protected readonly claimWithLease = claimWithLeasePg;
  protected readonly claimLock = 'for update of s skip locked';
}
