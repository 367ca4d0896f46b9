import type { EntityManager } from '../../db/orm';
import type { Cart } from '../../entities';
import type { Clock } from '../shared/clock';
import { success, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { lockOpenCart, type CartActor } from './cart-access';

export interface CartServiceDeps {
  em: EntityManager;
  clock: Clock;
  actor: CartActor;
}

/** A change may find there is nothing to do (e.g. a voucher already on the cart); then nothing is written. */
export const UNCHANGED = Symbol('unchanged');
type CartChange = (tx: EntityManager, cart: Cart, now: Date) => Promise<void | typeof UNCHANGED>;

/**
 * The one shape of every cart mutation: one short transaction, the cart row
 * locked, the change applied, the version bumped, commit. A business failure
 * inside `change` (abortWith) rolls everything back and comes out as a value.
 */
export async function changeOpenCart(deps: CartServiceDeps, cartId: string, change: CartChange): Promise<Outcome<Cart>> {
  try {
    return await transactionalOutcome(deps.em, async (tx) => {
      const now = deps.clock.now();
      const cart = await lockOpenCart(tx, cartId, deps.actor);
      if ((await change(tx, cart, now)) === UNCHANGED) throw new NothingToWrite(cart);
      markChanged(cart, now);
      return cart;
    });
  } catch (error) {
    if (error instanceof NothingToWrite) return success(error.cart);
    throw error;
  }
}

/**
 * Rolls back a change that found nothing to do, so not even an incidental
 * write (or a version bump) reaches the database; the caller still gets the cart.
 */
class NothingToWrite extends Error {
  override name = 'NothingToWrite';
  constructor(readonly cart: Cart) {
    super('nothing to write');
  }
}

/**
 * MikroORM bumps the version only when it updates the cart row, and a change to
 * a line alone does not touch that row. Moving updatedAt — strictly forward,
 * even under a frozen test clock — guarantees the row is written, so `version`
 * increments on every change.
 */
function markChanged(cart: Cart, now: Date): void {
  cart.updatedAt = new Date(Math.max(now.getTime(), cart.updatedAt.getTime() + 1));
}
