import { claimWithLeaseLibsql } from './lease-claim.libsql';
import { RenewalStoreBase } from '../shared/renewal-store.base';

/** Renewals on libSQL: one writer at a time, so a claim inside a write transaction needs no row lock. */
export class LibsqlRenewalStore extends RenewalStoreBase {
  protected readonly claimWithLease = claimWithLeaseLibsql;
  protected readonly claimLock = '';
}
