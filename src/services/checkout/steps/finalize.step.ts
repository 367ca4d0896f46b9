import { insertWhenFlushed } from '../../../db/held-inserts';
import type { EntityManager } from '../../../db/orm';
import { Cart, CartStatus, IdempotencyRecord, IdempotencyStatus, Payment, PaymentStatus } from '../../../entities';
import { convertHeldUnits } from '../../inventory/checkout-stock';
import { convertReservations } from '../../inventory/reservations';
import { markOrderPlaced, orderPlacedEvent } from '../../orders/order-lifecycle';
import { insertEvent } from '../../outbox/outbox';
import type { StepRun } from '../../saga/saga-types';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { transition } from '../../state/transition';
import { consumeRedemptions } from '../../vouchers/voucher-holds';
import {
  alwaysLocal, CHECKOUT_IDEMPOTENCY_SCOPE, idempotencyKeyFor, settlesLocally, type CheckoutSagaInput, type CheckoutShape, type CheckoutStep, type ReservationData,
} from '../checkout-types';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { CREATE_ORDER_STEP } from './create-order.step';
import { HOLD_VOUCHERS_STEP } from './hold-vouchers.step';
import { awaitsBuyer, PAYMENT_STEP, recordPaymentAttempt } from './payment.step';
import { RESERVE_STOCK_STEP } from './reserve-stock.step';

export const FINALIZE_STEP = 'finalize';

/**
 * The idempotency record ends COMPLETED with the order id. A checkout that
 * settles in one transaction writes it so for the first time here (it held the
 * cart lock throughout); one that paid outside moves its IN_PROGRESS claim.
 */
async function completeClaim(tx: EntityManager, input: CheckoutSagaInput, claimId: string, orderId: string, now: Date): Promise<void> {
  if (!settlesLocally(input)) {
    await transition(tx, IdempotencyRecord, claimId, IdempotencyStatus.IN_PROGRESS, IdempotencyStatus.COMPLETED, { resultId: orderId });
    return;
  }
  const key = idempotencyKeyFor(input.cartId, input.versionKey);
  await insertWhenFlushed(tx, IdempotencyRecord, { id: claimId, status: IdempotencyStatus.COMPLETED, scope: CHECKOUT_IDEMPOTENCY_SCOPE, key, resultId: orderId, createdAt: now });
}

/**
 * Step 7, local: order PLACED, redemptions CONSUMED, reservations turned into
 * stock decrements, cart CONVERTED, idempotency record COMPLETED with the
 * order id, outbox `order.placed`, and the provider's answer on the payment
 * row (the runner marks the saga COMPLETED in this same transaction). Any lost
 * race fails the whole step. A checkout that settled in this one transaction
 * wrote its order, redemptions and (when its preview's hold covered the cart)
 * reservations in their final state already: only the cart, the record and
 * the event are left.
 */
async function finalize(tx: EntityManager, run: StepRun<CheckoutSagaInput, CheckoutShape>, now: Date): Promise<void> {
  const { input } = run;
  const claim = run.recorded(CLAIM_CART_STEP);
  const order = run.recorded(CREATE_ORDER_STEP);
  const payment = run.output(PAYMENT_STEP);
  if (awaitsBuyer(payment)) {
    await recordPaymentAttempt(tx, order, payment);
    // Handed over to the provider: the order stays PENDING_PAYMENT with its vouchers
    // HELD; replays of this key answer the pending order until a webhook, the sweeper
    // or recovery ends it (which may already have happened: every move is guarded).
    await completeClaim(tx, input, claim.claimId, order.orderId, now);
    return;
  }
  const lost = (what: string) => abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, `Checkout could not finish: ${what}.`));
  const settled = settlesLocally(input);
  // Only a checkout settled in one transaction can have converted its units already; a resumed one never did.
  if (!(settled && run.output(RESERVE_STOCK_STEP).converted)) await takeReservedUnits(tx, claim.cartId, run.recorded(RESERVE_STOCK_STEP), order.orderId, now);
  if (!settled) {
    const { redemptionIds } = run.recorded(HOLD_VOUCHERS_STEP);
    if (!(await markOrderPlaced(tx, order.orderId, now))) lost('the order is no longer pending');
    if ((await consumeRedemptions(tx, redemptionIds, order.orderId)) !== redemptionIds.length) lost('a voucher hold was released');
  }
  const cartFrom = settled ? CartStatus.OPEN : CartStatus.CHECKING_OUT;
  if ((await transition(tx, Cart, claim.cartId, cartFrom, CartStatus.CONVERTED)) !== 1) lost('the cart is not checking out');
  await completeClaim(tx, input, claim.claimId, order.orderId, now);
  if (payment.attempt && (payment.status === 'CAPTURED' || payment.status === 'AUTHORIZED')) {
    const { providerReference, clientSecret, checkoutUrl } = payment.attempt;
    const captured = payment.status === 'CAPTURED' ? order.amountDue : 0;
    await transition(tx, Payment, order.paymentId, PaymentStatus.PENDING, PaymentStatus[payment.status], {
      captured, providerReference, clientSecret, checkoutUrl, providerPaymentIntentId: providerReference,
    });
  }
  await insertEvent(tx, orderPlacedEvent({ orderId: order.orderId, cartId: claim.cartId, paymentKind: input.paymentMethod, creditApplied: order.creditApplied, amountDue: order.amountDue }));
}

/**
 * The reservations become stock decrements: in two statements when the record
 * says what they hold (one warehouse per variant) and they have not lapsed,
 * else through the general conversion, which re-checks lapsed units under the
 * stock row locks.
 */
async function takeReservedUnits(tx: EntityManager, cartId: string, reserved: ReservationData, orderId: string, now: Date): Promise<void> {
  const held = reserved.held?.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
  if (held && held.every((r) => r.expiresAt.getTime() > now.getTime())) return convertHeldUnits(tx, held, orderId);
  return convertReservations(tx, cartId, reserved.reservationIds, orderId, now);
}

export const finalizeStep: CheckoutStep<'finalize'> = {
  id: FINALIZE_STEP,
  isLocal: alwaysLocal,
  async invoke(tx, run, deps) {
    await finalize(tx, run, deps.clock.now());
    return { output: null, compensation: null };
  },
  // The last step: once it committed the saga is COMPLETED and never compensated.
  async compensate() {},
};
