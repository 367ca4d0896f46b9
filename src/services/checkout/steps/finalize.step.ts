import type { EntityManager } from '../../../db/orm';
import { Cart, CartStatus, IdempotencyRecord, IdempotencyStatus, Payment, PaymentMethodKind, PaymentStatus } from '../../../entities';
import { convertReservations } from '../../inventory/reservations';
import { markOrderPlaced, recordOrderPlaced } from '../../orders/order-lifecycle';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { transition } from '../../state/transition';
import { consumeRedemptions } from '../../vouchers/voucher-holds';
import type { CheckoutSagaInput, CheckoutStep, ClaimData, HoldData, OrderData, PaymentData, ReservationData } from '../checkout-types';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { CREATE_ORDER_STEP } from './create-order.step';
import { HOLD_VOUCHERS_STEP } from './hold-vouchers.step';
import { awaitsBuyer, PAYMENT_STEP } from './payment.step';
import { RESERVE_STOCK_STEP } from './reserve-stock.step';

export const FINALIZE_STEP = 'finalize';

interface Recorded { claim: ClaimData; reservations: ReservationData; holds: HoldData; order: OrderData; payment: PaymentData | undefined }

/**
 * Step 7, one transaction: order PLACED, redemptions CONSUMED, reservations
 * turned into stock decrements, cart CONVERTED, idempotency record COMPLETED
 * with the order id, outbox `order.placed` (the runner marks the saga
 * COMPLETED in this same transaction). Any lost race fails the whole step.
 */
async function finalize(tx: EntityManager, input: CheckoutSagaInput, recorded: Recorded, now: Date): Promise<null> {
  const { order, holds, reservations, claim, payment } = recorded;
  if (awaitsBuyer(payment)) {
    // Handed over to the provider: the order stays PENDING_PAYMENT with its vouchers
    // HELD; replays of this key answer the pending order until a webhook, the sweeper
    // or recovery ends it (which may already have happened: every move is guarded).
    await transition(tx, IdempotencyRecord, claim.claimId, IdempotencyStatus.IN_PROGRESS, IdempotencyStatus.COMPLETED, { resultId: order.orderId });
    return null;
  }
  const lost = (what: string) => abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, `Checkout could not finish: ${what}.`));
  if (!(await markOrderPlaced(tx, order.orderId, now))) lost('the order is no longer pending');
  if ((await consumeRedemptions(tx, holds.redemptionIds, order.orderId)) !== holds.redemptionIds.length) lost('a voucher hold was released');
  await convertReservations(tx, claim.cartId, reservations.reservationIds, order.orderId, now);
  if ((await transition(tx, Cart, claim.cartId, CartStatus.CHECKING_OUT, CartStatus.CONVERTED)) !== 1) lost('the cart is not checking out');
  await transition(tx, IdempotencyRecord, claim.claimId, IdempotencyStatus.IN_PROGRESS, IdempotencyStatus.COMPLETED, { resultId: order.orderId });
  if (input.paymentMethod === PaymentMethodKind.STORE_CREDIT) {
    await transition(tx, Payment, order.paymentId, PaymentStatus.PENDING, PaymentStatus.CAPTURED, { captured: order.creditApplied });
  }
  if (payment?.status === 'CAPTURED' || payment?.status === 'AUTHORIZED') {
    const captured = payment.status === 'CAPTURED' ? order.amountDue : 0;
    await transition(tx, Payment, order.paymentId, PaymentStatus.PENDING, PaymentStatus[payment.status], { captured, providerPaymentIntentId: payment.providerReference });
  }
  recordOrderPlaced(tx, { orderId: order.orderId, cartId: claim.cartId, paymentKind: input.paymentMethod, creditApplied: order.creditApplied, amountDue: order.amountDue });
  return null;
}

export const finalizeStep: CheckoutStep = {
  id: FINALIZE_STEP,
  invoke(ctx, deps) {
    const recorded: Recorded = {
      claim: ctx.completed[CLAIM_CART_STEP] as ClaimData,
      reservations: ctx.completed[RESERVE_STOCK_STEP] as ReservationData,
      holds: ctx.completed[HOLD_VOUCHERS_STEP] as HoldData,
      order: ctx.completed[CREATE_ORDER_STEP] as OrderData,
      payment: ctx.completed[PAYMENT_STEP] as PaymentData | undefined,
    };
    return ctx.local((tx) => finalize(tx, ctx.input, recorded, deps.clock.now()));
  },
  // The last step: once it committed the saga is COMPLETED and never compensated.
  async compensate() {},
};
