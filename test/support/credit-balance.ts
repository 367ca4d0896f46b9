import type { EntityManager } from '../../src/db/orm';
import { CreditLedgerEntry } from '../../src/entities';

/**
 * A customer's store credit as the tests check it: the ledger's rows in the
 * currency, added up here, apart from the credit store's own sum.
 */
export async function creditBalance(em: EntityManager, customerId: string, currency: string): Promise<number> {
  const entries = await em.find(CreditLedgerEntry, { customerId, currency: currency.toUpperCase() }, { fields: ['amount'] });
  return entries.reduce((sum, entry) => sum + Number(entry.amount), 0);
}
