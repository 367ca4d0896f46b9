import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/orm';
import { Cart, CartStatus, IdempotencyRecord, IdempotencyStatus } from '../../../entities';
import { newId } from '../../../entities/columns';
import { canAccessCart, cartNotFound } from '../../cart/cart-access';
import { cartVersionKey } from '../../cart/version-key';
import { AnswerWithoutSaga } from '../../saga/saga-runner';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { transition } from '../../state/transition';
import { loadCheckoutCart } from '../checkout-cart';
import { CHECKOUT_IDEMPOTENCY_SCOPE, idempotencyKeyFor, type CheckoutSagaInput, type CheckoutStep, type ClaimData } from '../checkout-types';

export const CLAIM_CART_STEP = 'claim-cart';

/** What the first step answers instead of starting a saga: the order this key already produced. */
export interface ReplayAnswer { replayOrderId: string }

const inProgress = () => userFailure(ErrorCode.CHECKOUT_IN_PROGRESS, 'This cart is already being checked out; try again in a moment.', 'cartId');

/**
 * Step 1 (DESIGN "confirmCheckout, in order"): lock the cart, check the version
 * key, then claim the idempotency record, then the cart's readiness.
 *
 * A key is current when it is the cart's key now, or when this cart already has
 * an idempotency record for it: a record is only ever written for a key that
 * passed this check, and the price guard may re-stamp the lines (moving the
 * cart's key) after the claim, so the record is what proves the key. Hence:
 * - a key with a record answers from it: COMPLETED → replay, IN_PROGRESS →
 *   CHECKOUT_IN_PROGRESS (a concurrent duplicate of the same key);
 * - any other key that is not the cart's key → CART_VERSION_MISMATCH, whatever
 *   the cart's status (a stale key never waits for, or replays, someone else);
 * - the current key on a cart another attempt is checking out → CHECKOUT_IN_PROGRESS,
 *   on a converted cart → CART_CLOSED.
 * Then the key is claimed (unique insert) and the cart moves to CHECKING_OUT.
 */
async function claim(tx: EntityManager, input: CheckoutSagaInput, now: Date): Promise<ClaimData> {
  const cart = await loadCheckoutCart(tx, input.cartId, { lock: true });
  if (!cart || !canAccessCart(cart, input.actor)) return abortWith(cartNotFound());

  const key = idempotencyKeyFor(cart.id, input.versionKey);
  const earlier = await tx.findOne(IdempotencyRecord, { scope: CHECKOUT_IDEMPOTENCY_SCOPE, key });
  if (!earlier && cartVersionKey(cart) !== input.versionKey) {
    return abortWith(userFailure(ErrorCode.CART_VERSION_MISMATCH, 'The cart changed since you last saw it; review it and confirm again.', 'versionKey'));
  }
  if (earlier?.status === IdempotencyStatus.COMPLETED && earlier.resultId) {
    throw new AnswerWithoutSaga({ replayOrderId: earlier.resultId } satisfies ReplayAnswer);
  }
  if (earlier || cart.status === CartStatus.CHECKING_OUT) return abortWith(inProgress());
  if (cart.status !== CartStatus.OPEN) return abortWith(userFailure(ErrorCode.CART_CLOSED, 'This cart has already been checked out.', 'cartId'));

  if (cart.lines.length === 0) return abortWith(userFailure(ErrorCode.CART_EMPTY, 'The cart is empty.', 'cartId'));
  if (!cart.shippingMethod) return abortWith(userFailure(ErrorCode.SHIPPING_METHOD_REQUIRED, 'Choose a shipping method first.', 'shippingMethodId'));
  if (!cart.customer && !cart.email) return abortWith(userFailure(ErrorCode.VALIDATION_FAILED, 'A guest checkout needs an email address.', 'email'));

  // The cart was only read: forget it so the commit cannot flush it back over the status change below.
  tx.clear();
  const claimId = newId();
  await tx.insert(IdempotencyRecord, { id: claimId, status: IdempotencyStatus.IN_PROGRESS, scope: CHECKOUT_IDEMPOTENCY_SCOPE, key, createdAt: now });
  await transition(tx, Cart, cart.id, CartStatus.OPEN, CartStatus.CHECKING_OUT);
  return { cartId: cart.id, claimId };
}

export const claimCartStep: CheckoutStep = {
  id: CLAIM_CART_STEP,
  async invoke(ctx, deps) {
    try {
      return await ctx.local((tx) => claim(tx, ctx.input, deps.clock.now()));
    } catch (error) {
      // Two first attempts raced past the lookup: the database let one claim win.
      if (error instanceof UniqueConstraintViolationException) return abortWith(inProgress());
      throw error;
    }
  },
  /** Frees the key so the unchanged cart can be retried, and reopens the cart. */
  async compensate(em, compensation) {
    const data = compensation as ClaimData;
    await em.transactional(async (tx) => {
      await tx.nativeDelete(IdempotencyRecord, { id: data.claimId, status: IdempotencyStatus.IN_PROGRESS });
      await transition(tx as EntityManager, Cart, data.cartId, CartStatus.CHECKING_OUT, CartStatus.OPEN);
    });
  },
};
