import type { UnitOfWork } from '../unit-of-work';

/** The store-credit ledger, where a statement differs by dialect (services/credit/credit-ledger.ts writes and sums its rows). */
export interface CreditStore {
  /**
   * Serializes the customer's credit movements until the transaction ends
   * (their customer row is the lock; a plain read on libSQL, whose writers are
   * serialized), so two checkouts cannot both spend one balance. Call it
   * before reading the balance about to be spent.
   */
  lockHolder(uow: UnitOfWork, customerId: string): Promise<void>;
}
