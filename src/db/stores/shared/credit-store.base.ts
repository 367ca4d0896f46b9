import { Customer } from '../../../entities';
import { intOf } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import type { CreditStore } from '../credit-store';
import type { RowLock } from './row-lock';

/** The credit store's statements, alike on both dialects but for how they lock. */
export abstract class CreditStoreBase implements CreditStore {
  constructor(private readonly rowLock: RowLock) {}

  async lockHolder(uow: UnitOfWork, customerId: string): Promise<void> {
    await uow.em.findOne(Customer, { id: customerId }, { ...this.rowLock, fields: ['id'] });
  }

  async balance(uow: UnitOfWork, customerId: string, currency: string): Promise<number> {
    const [row] = await uow.sql.rows<{ balance: unknown }>(
      'select coalesce(sum(amount), 0) as balance from credit_ledger_entries where customer_id = ? and currency = ?',
      [customerId, currency.toUpperCase()],
    );
    return intOf(row.balance);
  }
}
