import { LockMode } from '@mikro-orm/core';
import { SagaStoreBase } from '../shared/saga-store.base';

export class PgSagaStore extends SagaStoreBase {
  /** FOR UPDATE SKIP LOCKED: a saga another recovery holds is left to it. */
  protected readonly claimLock = { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE as const };
}
