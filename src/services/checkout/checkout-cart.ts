import type { FindOneOptions } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Cart } from '../../entities';
import type { StepContext } from '../saga/saga-types';
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

const PRICED_CART = 'priced-cart';

/**
 * After the price guard the cart is CHECKING_OUT (no cart change can land) and
 * its lines carry the prices this checkout charges, so the later steps of the
 * same run read that copy instead of loading the cart again. Only scalar
 * fields and ids are read from it; a resumed run has no copy and loads one.
 */
export function rememberPricedCart(ctx: Pick<StepContext<unknown>, 'scratch'>, cart: Cart): void {
  ctx.scratch.set(PRICED_CART, cart);
}

export async function pricedCheckoutCart(ctx: Pick<StepContext<{ cartId: string }>, 'scratch' | 'input'>, tx: EntityManager): Promise<Cart> {
  const remembered = ctx.scratch.get(PRICED_CART) as Cart | undefined;
  if (remembered) return remembered;
  const cart = await loadCheckoutCart(tx, ctx.input.cartId, { lock: false });
  if (!cart) throw new Error(`cart ${ctx.input.cartId} vanished during its checkout`);
  return cart;
}
