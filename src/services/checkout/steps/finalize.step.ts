import type { Stores } from '../../../db/stores';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { CartStatus, PaymentStatus } from '../../../entities';
import { requireStock } from '../../inventory/checkout-stock';
import { completeClaim, placeOrder, type ClaimCompletion, type PaymentMove } from '../../orders/place-order';
import type { StepRun } from '../../saga/saga-types';
import {
  alwaysLocal,
  settlesLocally,
  type CheckoutDeps,
  type CheckoutSagaInput,
  type CheckoutShape,
  type CheckoutStep,
  type OrderData,
  type PaymentOutput,
  type ReservationData,
} from '../checkout-types';
import { idempotencyKeyFor } from '../../orders/checkout-idempotency';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { CREATE_ORDER_STEP } from './create-order.step';
import { HOLD_VOUCHERS_STEP } from './hold-vouchers.step';
import { awaitsBuyer, PAYMENT_STEP, recordPaymentAttempt } from './payment.step';
import { RESERVE_STOCK_STEP } from './reserve-stock.step';

export const FINALIZE_STEP = 'finalize';

/**
 * Step 7, local: the order placed through the one placing function
 * (place-order.ts): PLACED, redemptions CONSUMED, reservations turned into
 * stock decrements, cart CONVERTED, idempotency record COMPLETED with the
 * order id, the provider's answer on the payment row, licenses for its digital
 * units, outbox `order.placed` (the runner marks the saga COMPLETED in this
 * same transaction). Any lost race fails the whole step. A checkout that
 * settled in this one transaction wrote its order, redemptions and (when its
 * preview's hold covered the cart) reservations in their final state already;
 * its idempotency record is written once, COMPLETED, here (it held the cart
 * lock throughout), where one that paid outside moves its IN_PROGRESS claim.
 */
async function finalize(uow: UnitOfWork, run: StepRun<CheckoutSagaInput, CheckoutShape>, deps: CheckoutDeps): Promise<void> {
  const now = deps.clock.now();
  const { input } = run;
  const claim = run.recorded(CLAIM_CART_STEP);
  const order = run.recorded(CREATE_ORDER_STEP);
  const payment = run.output(PAYMENT_STEP);
  const settled = settlesLocally(input);
  const claimCompletion: ClaimCompletion = settled
    ? { insert: { id: claim.claimId, key: idempotencyKeyFor(input.cartId, input.versionKey) } }
    : { move: claim.claimId };
  if (awaitsBuyer(payment)) {
    await recordPaymentAttempt(uow, deps.stores, order, payment);
    // Handed over to the provider: the order stays PENDING_PAYMENT with its vouchers
    // HELD; replays of this key answer the pending order until a webhook, the sweeper
    // or recovery ends it (which may already have happened: every move is guarded).
    await completeClaim(uow, claimCompletion, order.orderId, now);
    return;
  }
  const digitalLines = order.digitalLines ?? [];
  await placeOrder(uow, deps.stores, {
    order: {
      orderId: order.orderId,
      cartId: claim.cartId,
      paymentKind: input.paymentMethod,
      creditApplied: order.creditApplied,
      amountDue: order.amountDue,
      customerId: order.customerId ?? null,
      paymentLinkId: null,
      digitalUnits: digitalLines.reduce((units, line) => units + line.quantity, 0),
    },
    now,
    writtenPlaced: settled,
    redemptionIds: run.recorded(HOLD_VOUCHERS_STEP).redemptionIds,
    // Only a checkout settled in one transaction can have converted its units already; a resumed one never did.
    takeStock: async () => {
      if (!(settled && run.output(RESERVE_STOCK_STEP).converted))
        await takeReservedUnits(uow, deps.stores, claim.cartId, run.recorded(RESERVE_STOCK_STEP), order.orderId, now);
    },
    cart: { id: claim.cartId, from: settled ? CartStatus.OPEN : CartStatus.CHECKING_OUT },
    claim: claimCompletion,
    payment: paymentMove(order, payment),
    digitalLines,
    strict: true,
  });
}

/** The provider's answer for the payment row, when a card was charged or authorized at confirm. */
function paymentMove(order: OrderData, payment: PaymentOutput): PaymentMove | null {
  if (!payment.attempt || (payment.status !== 'CAPTURED' && payment.status !== 'AUTHORIZED')) return null;
  const { providerReference, clientSecret, checkoutUrl } = payment.attempt;
  const captured = payment.status === 'CAPTURED' ? order.amountDue : 0;
  return {
    paymentId: order.paymentId,
    from: [PaymentStatus.PENDING],
    to: PaymentStatus[payment.status],
    fields: { captured, providerReference, clientSecret, checkoutUrl, providerPaymentIntentId: providerReference },
  };
}

/**
 * The reservations become stock decrements: at once (convertHeld) when the record
 * says what they hold (one warehouse per variant) and they have not lapsed,
 * else through the general conversion, which re-checks lapsed units under the
 * stock row locks.
 */
async function takeReservedUnits(
  uow: UnitOfWork,
  { stock }: Pick<Stores, 'stock'>,
  cartId: string,
  reserved: ReservationData,
  orderId: string,
  now: Date,
): Promise<void> {
  const held = reserved.held?.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
  if (reserved.reservationIds.length === 0) return; // only digital lines: nothing was reserved
  if (held && held.every((r) => r.expiresAt.getTime() > now.getTime())) return requireStock(await stock.convertHeld(uow, held, orderId));
  requireStock(await stock.convert(uow, cartId, reserved.reservationIds, orderId, now));
}

export const finalizeStep: CheckoutStep<'finalize'> = {
  id: FINALIZE_STEP,
  isLocal: alwaysLocal,
  async invoke(uow, run, deps) {
    await finalize(uow, run, deps);
    return { output: null, compensation: null };
  },
  // The last step: once it committed the saga is COMPLETED and never compensated.
  async compensate() {},
};
