import type { UnitOfWork } from '../unit-of-work';

/** The store-credit ledger's reads and its holder lock (services/credit/credit-ledger.ts appends its rows). */
export interface CreditStore {
  /**
   * Serializes the customer's credit movements until the transaction ends
   * (their customer row is the lock; a plain read on libSQL, whose writers are
   * serialized), so two checkouts cannot both spend one balance. Call it
   * before reading the balance about to be spent.
   */
  lockHolder(uow: UnitOfWork, customerId: string): Promise<void>;
  /** The customer's balance in `currency`: the sum of their ledger rows in it, 0 when there are none. */
  balance(uow: UnitOfWork, customerId: string, currency: string): Promise<number>;
}
