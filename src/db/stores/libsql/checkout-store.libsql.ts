import type { CheckoutCart } from '../../../services/checkout/checkout-cart';
import { libsqlJson } from '../../sql/json-sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { IdempotencyKey } from '../checkout-store';
import { CheckoutStoreBase } from '../shared/checkout-store.base';

/** The checkout's reads on libSQL, which serializes its writers: the transaction already holds the cart, so no lock is taken. */
export class LibsqlCheckoutStore extends CheckoutStoreBase {
  constructor() {
    super(libsqlJson);
  }

  readCart(uow: UnitOfWork, cartId: string, idempotency: IdempotencyKey): Promise<CheckoutCart | null> {
    return this.readOnce(uow, cartId, idempotency, null);
  }
}
