import { OutboxStoreBase } from '../shared/outbox-store.base';
import { claimWithLeasePg } from './lease-claim.pg';

export class PgOutboxStore extends OutboxStoreBase {
  protected readonly claimWithLease = claimWithLeasePg;
  protected readonly timeParam = 'cast(? as timestamptz)';
}
