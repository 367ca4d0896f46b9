import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/orm';
import type { CheckoutStore, IdempotencyKey } from '../../../db/stores/checkout-store';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { Cart, CartStatus, IdempotencyRecord, IdempotencyStatus, PaymentMethodKind, VariantKind } from '../../../entities';
import { newId } from '../../../entities/columns';
import { canAccessSnapshot, cartNotFound } from '../../cart/cart-access';
import { snapshotVersionKey } from '../../cart/cart-snapshot';
import { needsShipping } from '../../pricing/pricing-engine';
import { planCartFailure, planPaymentFailure } from '../../subscriptions/plan-cart-rules';
import { AnswerWithoutSaga } from '../../saga/saga-runner';
import type { StepResult } from '../../saga/saga-types';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure, type Failure } from '../../shared/outcome';
import { transition } from '../../state/transition';
import type { CheckoutCart } from '../checkout-cart';
import { CHECKOUT_IDEMPOTENCY_SCOPE, idempotencyKeyFor } from '../../orders/checkout-idempotency';
import { alwaysLocal, type CheckoutSagaInput, type CheckoutStep, type ClaimData } from '../checkout-types';

export const CLAIM_CART_STEP = 'claim-cart';

/** What the first step answers instead of starting a saga: the order this key already produced. */
export interface ReplayAnswer {
  replayOrderId: string;
}

const inProgress = () => userFailure(ErrorCode.CHECKOUT_IN_PROGRESS, 'This cart is already being checked out; try again in a moment.', 'cartId');
/**
 * Cash on delivery pays when a parcel arrives; a digital item is issued the
 * moment its order is placed, so nobody would ever have paid for it. Refused
 * here, on the cart the claim read (no statement of its own), before any
 * stock, voucher or license unit is held; placeOrder refuses it again
 * whatever route gets there (nothing is granted before the money is).
 */
const cashCannotPayDigital = () =>
  userFailure(
    ErrorCode.VALIDATION_FAILED,
    'Cash on delivery cannot pay for digital items, which are issued as soon as the order is placed: pay by card, hosted checkout or store credit.',
    'paymentMethod',
  );
const versionMismatch = () =>
  userFailure(ErrorCode.CART_VERSION_MISMATCH, 'The cart changed since you last saw it; review it and confirm again.', 'versionKey');

/**
 * The cart's row is held by another transaction right now (a change to the
 * cart, or another checkout of it). The checkout transaction is aborted; the
 * saga answers from what is committed (answerBusyCart).
 */
export class CartBusy extends Error {
  override name = 'CartBusy';
}

/**
 * Reads the cart for the checkout and holds its row for the rest of the
 * transaction, without waiting for another transaction that holds it
 * (CheckoutStore.readCart): a cart someone else is writing or checking out
 * right now is answered at once (CartBusy) instead of queueing behind a whole
 * checkout.
 */
async function lockAndRead(uow: UnitOfWork, checkouts: CheckoutStore, cartId: string, idempotency: IdempotencyKey): Promise<CheckoutCart | null> {
  const read = await checkouts.readCart(uow, cartId, idempotency, { lock: true });
  if (read === 'busy') throw new CartBusy(`cart ${cartId} is locked by another transaction`);
  return read;
}

/**
 * The claim's verdict from committed state alone, for a cart whose lock was
 * busy: a key with a record answers from it (replay, or in progress); any
 * other key that is not the cart's key is CART_VERSION_MISMATCH (a stale key
 * never waits for someone else); the current key is CHECKOUT_IN_PROGRESS.
 */
export async function answerBusyCart(uow: UnitOfWork, checkouts: CheckoutStore, input: CheckoutSagaInput): Promise<ReplayAnswer | Failure> {
  const checkout = await checkouts.readCart(
    uow,
    input.cartId,
    { scope: CHECKOUT_IDEMPOTENCY_SCOPE, key: idempotencyKeyFor(input.cartId, input.versionKey) },
    { lock: false },
  );
  if (checkout === 'busy' || !checkout || !canAccessSnapshot(checkout.snapshot, input.actor)) return cartNotFound();
  const { earlier } = checkout;
  if (earlier?.status === IdempotencyStatus.COMPLETED && earlier.resultId) return { replayOrderId: earlier.resultId };
  if (!earlier && snapshotVersionKey(checkout.snapshot) !== input.versionKey) return versionMismatch();
  return inProgress();
}

/**
 * Step 1 (docs/design.md \"Sagas\"): lock the cart, check the version
 * key, then claim the idempotency record, then the cart's readiness. The one
 * read also brings what the later steps need (see CheckoutCart).
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
 * `claimKeyNow`: the provider path commits before it calls out, so it claims
 * the key IN_PROGRESS (unique insert) here. The local path holds the cart lock
 * to its one commit, so its record is written once, COMPLETED, when the order
 * is placed.
 */
async function claim(
  uow: UnitOfWork,
  checkouts: CheckoutStore,
  input: CheckoutSagaInput,
  now: Date,
  claimKeyNow: boolean,
): Promise<StepResult<CheckoutCart, ClaimData>> {
  const key = idempotencyKeyFor(input.cartId, input.versionKey);
  const checkout = await lockAndRead(uow, checkouts, input.cartId, { scope: CHECKOUT_IDEMPOTENCY_SCOPE, key });
  const cart = checkout?.snapshot;
  if (!checkout || !cart || !canAccessSnapshot(cart, input.actor)) return abortWith(cartNotFound());

  const { earlier } = checkout;
  if (!earlier && snapshotVersionKey(cart) !== input.versionKey) return abortWith(versionMismatch());
  if (earlier?.status === IdempotencyStatus.COMPLETED && earlier.resultId) {
    throw new AnswerWithoutSaga({ replayOrderId: earlier.resultId } satisfies ReplayAnswer);
  }
  if (earlier || cart.status === CartStatus.CHECKING_OUT) return abortWith(inProgress());
  if (cart.status !== CartStatus.OPEN) return abortWith(userFailure(ErrorCode.CART_CLOSED, 'This cart has already been checked out.', 'cartId'));

  if (cart.lines.length === 0) return abortWith(userFailure(ErrorCode.CART_EMPTY, 'The cart is empty.', 'cartId'));
  if (!cart.shippingMethod && needsShipping(cart.lines))
    return abortWith(userFailure(ErrorCode.SHIPPING_METHOD_REQUIRED, 'Choose a shipping method first.', 'shippingMethodId'));
  if (!cart.customerId && !cart.email) return abortWith(userFailure(ErrorCode.VALIDATION_FAILED, 'A guest checkout needs an email address.', 'email'));
  if (input.paymentMethod === PaymentMethodKind.CASH_ON_DELIVERY && cart.lines.some((line) => line.kind === VariantKind.DIGITAL))
    return abortWith(cashCannotPayDigital());
  const planRefused = planCartFailure(cart.lines, cart.customerId) ?? planPaymentFailure(cart.lines, input.paymentMethod);
  if (planRefused) return abortWith(planRefused);

  const claimId = newId();
  if (claimKeyNow) {
    await uow.em.insert(IdempotencyRecord, { id: claimId, status: IdempotencyStatus.IN_PROGRESS, scope: CHECKOUT_IDEMPOTENCY_SCOPE, key, createdAt: now });
  }
  return { output: checkout, compensation: { cartId: cart.id, claimId } };
}

export function claimCartStep(options: { claimKeyNow: boolean }): CheckoutStep<'claim-cart'> {
  return {
    id: CLAIM_CART_STEP,
    isLocal: alwaysLocal,
    async invoke(uow, run, deps) {
      try {
        return await claim(uow, deps.stores.checkouts, run.input, deps.clock.now(), options.claimKeyNow);
      } catch (error) {
        // Two first attempts raced past the lookup: the database let one claim win.
        if (error instanceof UniqueConstraintViolationException) return abortWith(inProgress());
        throw error;
      }
    },
    /** Frees the key so the unchanged cart can be retried, and reopens the cart. */
    async compensate(em, data) {
      await em.transactional(async (tx) => {
        await tx.nativeDelete(IdempotencyRecord, { id: data.claimId, status: IdempotencyStatus.IN_PROGRESS });
        await transition(tx as EntityManager, Cart, data.cartId, CartStatus.CHECKING_OUT, CartStatus.OPEN);
      });
    },
  };
}
