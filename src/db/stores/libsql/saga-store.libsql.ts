import { SagaStoreBase } from '../shared/saga-store.base';

/** One writer: the claim's transaction already runs alone, so no lock clause. */
export class LibsqlSagaStore extends SagaStoreBase {
  protected readonly claimLock = {};
}
