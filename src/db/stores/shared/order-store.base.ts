import { Order, Payment } from '../../../entities';
import type { UnitOfWork } from '../../unit-of-work';
import type { OrderStore } from '../order-store';
import type { RowLock } from './row-lock';

/** The order store's reads, alike on both dialects but for how they lock. */
export abstract class OrderStoreBase implements OrderStore {
  constructor(private readonly rowLock: RowLock) {}

  async lock(uow: UnitOfWork, orderId: string): Promise<Order | null> {
    await uow.readable(Order);
    return uow.em.findOne(Order, { id: orderId }, { ...this.rowLock });
  }

  async lockPayments(uow: UnitOfWork, orderId: string): Promise<Payment[]> {
    await uow.readable(Payment);
    return uow.em.find(Payment, { orderId }, { ...this.rowLock });
  }
}
