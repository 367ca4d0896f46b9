import { Customer } from '../../../entities';
import type { UnitOfWork } from '../../unit-of-work';
import type { CreditStore } from '../credit-store';
import type { RowLock } from './row-lock';

/** The credit store's statements, alike on both dialects but for how they lock. */
export abstract class CreditStoreBase implements CreditStore {
  constructor(private readonly rowLock: RowLock) {}

  async lockHolder(uow: UnitOfWork, customerId: string): Promise<void> {
    await uow.em.findOne(Customer, { id: customerId }, { ...this.rowLock, fields: ['id'] });
  }
}
