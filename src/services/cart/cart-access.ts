import { ErrorCode } from '../shared/error-code';
import { userFailure } from '../shared/outcome';
import { isId } from '../shared/ids';
import { loadCartSnapshot, type CartReads, type CartSnapshot } from './cart-snapshot';

/** Who is asking: the signed-in customer (if any) and whether they are an admin. */
export interface CartActor {
  customerId: string | null;
  isAdmin: boolean;
}

/**
 * A customer's cart belongs to that customer (and admins). A guest cart has no
 * owner: its unguessable id is the capability. Anyone else is told the cart does
 * not exist, so ids cannot be probed.
 */
export function canAccessSnapshot(cart: Pick<CartSnapshot, 'customerId'>, actor: CartActor): boolean {
  const ownerId = cart.customerId;
  return ownerId === null || actor.isAdmin || ownerId === actor.customerId;
}

export const cartNotFound = () => userFailure(ErrorCode.NOT_FOUND, 'No such cart.', 'cartId');
export const cartClosed = () => userFailure(ErrorCode.CART_CLOSED, 'This cart is no longer open for changes.', 'cartId');

/** For reads: the cart as plain data in one statement, or null when it does not exist or is not the actor's to see. */
export async function findVisibleSnapshot(reads: CartReads, cartId: string, actor: CartActor): Promise<CartSnapshot | null> {
  if (!isId(cartId)) return null;
  const snapshot = await loadCartSnapshot(reads, cartId, { lock: false });
  return snapshot && canAccessSnapshot(snapshot, actor) ? snapshot : null;
}
