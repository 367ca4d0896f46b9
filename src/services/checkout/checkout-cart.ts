import type { EntityManager } from '../../db/orm';
import { Cart } from '../../entities';

const CHECKOUT_GRAPH = ['lines', 'lines.variant', 'shippingMethod', 'customer'] as const;

/**
 * Loads a cart with what checkout reads, in the caller's transaction. Callers
 * that need the row held take its lock first, in a statement of its own.
 */
export function loadCheckoutCart(tx: EntityManager, cartId: string): Promise<Cart | null> {
  return tx.findOne(Cart, { id: cartId }, { populate: CHECKOUT_GRAPH });
}
