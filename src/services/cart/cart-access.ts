import type { EntityManager } from '../../db/orm';
import { Cart, CartStatus } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure } from '../shared/outcome';
import { isId } from '../shared/ids';
import { writeLock } from '../shared/transactions';
import { loadCartSnapshot, type CartSnapshot } from './cart-snapshot';

/** Who is asking: the signed-in customer (if any) and whether they are an admin. */
export interface CartActor {
  customerId: string | null;
  isAdmin: boolean;
}

/** What `lockOpenCart`'s entity read populates: lines, their variants and the shipping method. */
const CART_GRAPH = ['lines', 'lines.variant', 'shippingMethod'] as const;

/**
 * A customer's cart belongs to that customer (and admins). A guest cart has no
 * owner: its unguessable id is the capability. Anyone else is told the cart does
 * not exist, so ids cannot be probed.
 */
export function canAccessCart(cart: Cart, actor: CartActor): boolean {
  return ownerAllows(cart.customer?.id ?? null, actor);
}

/** The same rule for a cart read as plain data. */
export function canAccessSnapshot(cart: Pick<CartSnapshot, 'customerId'>, actor: CartActor): boolean {
  return ownerAllows(cart.customerId, actor);
}

const ownerAllows = (ownerId: string | null, actor: CartActor): boolean => ownerId === null || actor.isAdmin || ownerId === actor.customerId;

export const cartNotFound = () => userFailure(ErrorCode.NOT_FOUND, 'No such cart.', 'cartId');
export const cartClosed = () => userFailure(ErrorCode.CART_CLOSED, 'This cart is no longer open for changes.', 'cartId');

/** For reads: the cart as plain data in one statement, or null when it does not exist or is not the actor's to see. */
export async function findVisibleSnapshot(em: EntityManager, cartId: string, actor: CartActor): Promise<CartSnapshot | null> {
  if (!isId(cartId)) return null;
  const snapshot = await loadCartSnapshot(em, cartId, { lock: false });
  return snapshot && canAccessSnapshot(snapshot, actor) ? snapshot : null;
}

/**
 * For changes made on entities, inside the caller's transaction: holds the
 * cart's row lock until commit, so concurrent changes to one cart queue up
 * instead of overwriting each other, then loads the cart with its lines.
 * Aborts with NOT_FOUND or CART_CLOSED. (Cart mutations themselves go through
 * changeOpenCart, which claims the row and reads a plain snapshot instead.)
 */
export async function lockOpenCart(tx: EntityManager, cartId: string, actor: CartActor): Promise<Cart> {
  if (!isId(cartId)) return abortWith(cartNotFound());
  if (!(await lockCartRow(tx, cartId))) return abortWith(cartNotFound());
  const cart = await tx.findOne(Cart, { id: cartId }, { populate: CART_GRAPH });
  if (!cart || !canAccessCart(cart, actor)) return abortWith(cartNotFound());
  if (cart.status !== CartStatus.OPEN) return abortWith(cartClosed());
  return cart;
}

/**
 * The lock is its own statement, before the read, on purpose. Under READ
 * COMMITTED a `SELECT ... FOR UPDATE` that had to wait re-reads the locked row,
 * but rows it joins still come from the snapshot taken before the wait: a
 * combined statement would hand back lines a concurrent change has already
 * replaced. The following SELECT takes a fresh snapshot after the lock is held.
 * libSQL serializes write transactions, so there is nothing to lock there.
 */
async function lockCartRow(tx: EntityManager, cartId: string): Promise<boolean> {
  const { lockMode } = writeLock(tx);
  if (!lockMode) return true;
  const row = await tx.createQueryBuilder(Cart, 'c').select('c.id').where({ id: cartId }).setLockMode(lockMode).execute('get', false);
  return row !== undefined && row !== null;
}
