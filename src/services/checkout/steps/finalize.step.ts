import type { UnitOfWork } from '../../../db/unit-of-work';
import { CartStatus, PaymentStatus } from '../../../entities';
import { completeClaim, placeOrder, type OrderPlacement, type PaymentMove } from '../../orders/place-order';
import type { StepRun } from '../../saga/saga-types';
import {
  alwaysLocal,
  type CheckoutDeps,
  type CheckoutSagaInput,
  type CheckoutShape,
  type CheckoutStep,
  type OrderData,
  type PaymentOutput,
} from '../checkout-types';
import { idempotencyKeyFor } from '../../orders/checkout-idempotency';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { CREATE_ORDER_STEP } from './create-order.step';
import { HOLD_VOUCHERS_STEP, USE_VOUCHERS_STEP } from './hold-vouchers.step';
import { awaitsBuyer, nothingToPay, PAYMENT_STEP, recordPaymentAttempt } from './payment.step';
import { RESERVE_STOCK_STEP, takeReservedUnits } from './reserve-stock.step';
import { keepProviderCustomer } from '../../subscriptions/provider-customer';

export const FINALIZE_STEP = 'finalize';
export const PLACE_ORDER_STEP = 'place-order';

type Run = StepRun<CheckoutSagaInput, CheckoutShape>;

/** What both paths hand to the one placing function (place-order.ts) about the order the saga created. */
function placingOf(run: Run): Pick<OrderPlacement, 'order' | 'digitalLines'> {
  const order = run.recorded(CREATE_ORDER_STEP);
  const digitalLines = order.digitalLines ?? [];
  return {
    order: {
      orderId: order.orderId,
      cartId: run.input.cartId,
      paymentKind: run.input.paymentMethod,
      creditApplied: order.creditApplied,
      amountDue: order.amountDue,
      customerId: order.customerId ?? null,
      paymentLinkId: null,
      digitalUnits: digitalLines.reduce((units, line) => units + line.quantity, 0),
      subscriptionId: order.subscriptionId ?? null,
    },
    digitalLines,
  };
}

/**
 * Step 7 of the provider path, local: with the provider's answer on the
 * payment row, either the order is placed through the one placing function
 * (PLACED, held redemptions CONSUMED, reservations turned into stock
 * decrements, cart CONVERTED, idempotency claim COMPLETED, licenses for its
 * digital units, outbox `order.placed`), or, when the provider still waits
 * for the buyer, it is handed over: it stays PENDING_PAYMENT with its
 * vouchers HELD, and replays of the key answer the pending order until a
 * webhook, the sweeper or recovery ends it (every move is guarded). The
 * runner marks the saga COMPLETED in this same transaction. Any lost race
 * fails the whole step.
 */
async function finalize(uow: UnitOfWork, run: Run, deps: CheckoutDeps): Promise<void> {
  const now = deps.clock.now();
  const claim = run.recorded(CLAIM_CART_STEP);
  const order = run.recorded(CREATE_ORDER_STEP);
  const payment = run.output(PAYMENT_STEP);
  await keepProviderCustomer(uow, order, payment);
  if (awaitsBuyer(payment)) {
    await recordPaymentAttempt(uow, deps.stores, order, payment);
    await completeClaim(uow, { move: claim.claimId }, order.orderId, now);
    return;
  }
  await placeOrder(uow, deps.stores, {
    ...placingOf(run),
    now,
    writtenPlaced: false,
    redemptionIds: run.recorded(HOLD_VOUCHERS_STEP).redemptionIds,
    takeStock: () => takeReservedUnits(uow, deps.stores, claim.cartId, run.recorded(RESERVE_STOCK_STEP), order.orderId, now),
    cart: { id: claim.cartId, from: CartStatus.CHECKING_OUT },
    claim: { move: claim.claimId },
    payment: paymentMove(order, payment),
    strict: true,
    savedCard: { stripeCustomerId: payment.stripeCustomerId ?? null, savedPaymentMethodId: payment.attempt?.savedPaymentMethodId ?? null },
  });
}

/**
 * Step 6 of the local path: the order, written PLACED with its vouchers used
 * and its units sold by the steps before, is placed through the same placing
 * function: the cart CONVERTED straight from OPEN (it never left it, the path
 * held its lock), the idempotency record written once, COMPLETED, licenses
 * for its digital units, outbox `order.placed`.
 */
async function placeLocally(uow: UnitOfWork, run: Run, deps: CheckoutDeps): Promise<void> {
  const { input } = run;
  const claim = run.recorded(CLAIM_CART_STEP);
  await placeOrder(uow, deps.stores, {
    ...placingOf(run),
    now: deps.clock.now(),
    writtenPlaced: true,
    redemptionIds: run.recorded(USE_VOUCHERS_STEP).redemptionIds,
    takeStock: async () => {},
    cart: { id: claim.cartId, from: CartStatus.OPEN },
    claim: { insert: { id: claim.claimId, key: idempotencyKeyFor(input.cartId, input.versionKey) } },
    payment: null,
    strict: true,
  });
}

/**
 * The provider's answer for the payment row, when a card was charged or
 * authorized at confirm; CAPTURED with nothing taken when store credit
 * covered the order and nobody was asked.
 */
function paymentMove(order: OrderData, payment: PaymentOutput): PaymentMove | null {
  if (!payment.attempt && nothingToPay(order))
    return { paymentId: order.paymentId, from: [PaymentStatus.PENDING], to: PaymentStatus.CAPTURED, fields: { captured: 0 } };
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

export const placeOrderStep: CheckoutStep<'place-order'> = {
  id: PLACE_ORDER_STEP,
  isLocal: alwaysLocal,
  async invoke(uow, run, deps) {
    await placeLocally(uow, run, deps);
    return { output: null, compensation: null };
  },
  // The last step of the one transaction: it commits with the COMPLETED saga row or not at all.
  async compensate() {},
};
