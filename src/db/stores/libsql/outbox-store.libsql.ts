import { OutboxStoreBase } from '../shared/outbox-store.base';
import { claimWithLeaseLibsql } from './lease-claim.libsql';

export class LibsqlOutboxStore extends OutboxStoreBase {
  protected readonly claimWithLease = claimWithLeaseLibsql;
  /** Times are epoch milliseconds: a plain number. */
  protected readonly timeParam = '?';
}
