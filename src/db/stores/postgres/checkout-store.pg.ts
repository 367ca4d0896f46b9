import type { CheckoutCart } from '../../../services/checkout/checkout-cart';
import { postgresJson } from '../../sql/json-sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { IdempotencyKey } from '../checkout-store';
import { CheckoutStoreBase } from '../shared/checkout-store.base';

/** PostgreSQL's lock_not_available: another transaction holds the row and NOWAIT refused to queue. */
const LOCK_NOT_AVAILABLE = '55P03';

/** The checkout's reads on PostgreSQL: the cart's row lock rides on the cart's read. */
export class PgCheckoutStore extends CheckoutStoreBase {
  constructor() {
    super(postgresJson);
  }

  /**
   * The lock is a common table expression of the read itself: `locked as
   * (select … for update nowait)`. A lock taken inside a statement does not
   * refresh that statement's snapshot, so the lock's row (the newest committed
   * version) is compared with the snapshot's: when a change committed between
   * the two, the versions differ and the cart is read again, after the lock,
   * as a statement of its own would have. NOWAIT: a cart someone else is
   * writing or checking out right now is answered at once instead of queueing
   * behind a whole checkout.
   */
  async readCart(uow: UnitOfWork, cartId: string, idempotency: IdempotencyKey, options: { lock: boolean }): Promise<CheckoutCart | 'busy' | null> {
    if (!options.lock) return this.readOnce(uow, cartId, idempotency, null);
    try {
      const prelude = { sql: 'locked as (select id, version from carts where id = ? for update nowait)', params: [cartId] };
      const read = await this.readOnce(uow, cartId, idempotency, prelude);
      if (read && read.lockedVersion !== read.snapshot.version) return await this.readOnce(uow, cartId, idempotency, null);
      return read;
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return 'busy';
      throw error;
    }
  }
}
