import type { FindOneOptions } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Cart } from '../../entities';
import { writeLock } from '../shared/transactions';

const CHECKOUT_GRAPH = ['lines', 'lines.variant', 'shippingMethod', 'customer'] as const;

/**
 * Loads a cart with what checkout reads. With `lock`, the cart row is held
 * until commit (on PostgreSQL the lock is narrowed to the cart row, "c0", since
 * FOR UPDATE cannot cover the outer-joined lines); every change to a cart and
 * every checkout of it queue on this one row.
 */
export async function loadCheckoutCart(tx: EntityManager, cartId: string, options: { lock: boolean }): Promise<Cart | null> {
  const lock = options.lock ? writeLock(tx) : {};
  const findOptions: FindOneOptions<Cart, (typeof CHECKOUT_GRAPH)[number]> = {
    populate: CHECKOUT_GRAPH,
    ...(lock.lockMode ? { lockMode: lock.lockMode, lockTableAliases: ['c0'] } : {}),
  };
  return tx.findOne(Cart, { id: cartId }, findOptions);
}
