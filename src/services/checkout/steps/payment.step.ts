import type { Stores } from '../../../db/stores';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { Order, Payment, PaymentMethodKind, PaymentStatus } from '../../../entities';
import { PaymentFailure, PaymentOutcomeUnknown, type PaymentAttempt } from '../../payments/payment-port';
import { providerKeys } from '../../payments/idempotency-keys';
import { SagaLeftForRecovery, StepTimeoutError } from '../../saga/saga-types';
import { abortWith, userFailure } from '../../shared/outcome';
import { transition } from '../../state/transition';
import { type CheckoutStep, type OrderData, type PaymentData, type PaymentOutput } from '../checkout-types';
import { CREATE_ORDER_STEP } from './create-order.step';

export const PAYMENT_STEP = 'payment';

/** The provider still needs the buyer (3-D Secure, a hosted page): a webhook, the sweeper or recovery finishes the order. */
export const awaitsBuyer = (data: PaymentData | null | undefined): boolean => data?.status === 'REQUIRES_ACTION' || data?.status === 'PENDING';

/**
 * Until when the cart's stock stays reserved for an attempt that waits for the
 * buyer: an open session until it lapses, a card awaiting 3-D Secure for
 * CARD_ACTION_TIMEOUT (after which the stale card-payment sweeper ends it).
 * Null when nothing waits (a captured or authorized attempt is finalized now).
 */
function buyerWindowEnd(attempt: Pick<PaymentAttempt, 'status' | 'expiresAt'>, now: Date, cardActionTimeoutMs: number): Date | null {
  if (attempt.status === 'REQUIRES_ACTION') return new Date(now.getTime() + cardActionTimeoutMs);
  if (attempt.status === 'PENDING') return attempt.expiresAt ?? null;
  return null;
}

/**
 * Stores the provider's answer on the payment row, in finalize's transaction.
 * An attempt that waits for the buyer is handed over here (REQUIRES_ACTION, or
 * an open session) with the end of its window as the payment's expiry, and the
 * cart's reservations are held until then.
 */
export async function recordPaymentAttempt(uow: UnitOfWork, { stock }: Pick<Stores, 'stock'>, order: OrderData, payment: PaymentOutput): Promise<void> {
  const tx = uow.em;
  const { attempt, waitsUntil } = payment;
  if (!attempt) return;
  await tx.nativeUpdate(
    Payment,
    { id: order.paymentId },
    {
      providerReference: attempt.providerReference,
      clientSecret: attempt.clientSecret,
      checkoutUrl: attempt.checkoutUrl,
      expiresAt: waitsUntil,
    },
  );
  if (attempt.status === 'REQUIRES_ACTION') await transition(tx, Payment, order.paymentId, PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION);
  if (waitsUntil) {
    const cartId = (await tx.findOneOrFail(Order, { id: order.orderId }, { fields: ['cartId'] })).cartId;
    if (cartId) await stock.holdCartUntil(uow, cartId, waitsUntil);
  }
}

/** A card or hosted order whose store credit covers all of it: there is no payment to make, and no provider customer to create. */
export const nothingToPay = (order: Pick<OrderData, 'amountDue'>): boolean => order.amountDue === 0;

/** The payment step's answer when credit paid everything: placed by finalize with nothing captured by the provider. */
const COVERED_BY_CREDIT: PaymentOutput = { providerReference: null, status: 'CAPTURED', attempt: null, waitsUntil: null };

/**
 * Step 6 of the provider path, the pivot: the only step that calls out, with
 * no database transaction open while the provider works. Card and hosted
 * payments go through the payment port with the order id as idempotency key
 * (a retry of the same cart is a new order, so a new key). An order store
 * credit covered whole asks nothing and runs local, so the order, the credit
 * spend and a plan's ACTIVE subscription commit in one transaction.
 * - declined / not configured / provably not charged → business failure after compensations;
 * - outcome unknown (lost answer, deadline passed) → the saga is left RUNNING for
 *   recovery, which asks the provider; nothing is compensated blindly.
 */
export const paymentStep: CheckoutStep<'payment'> = {
  id: PAYMENT_STEP,
  // Store credit covered the whole order: nothing to ask the provider, so the step joins the transaction before and after it.
  isLocal: (_input, run) => nothingToPay(run.recorded(CREATE_ORDER_STEP)),
  outcomeUnknownOnTimeout: true,
  async invoke(_uow, run, deps) {
    const kind = run.input.paymentMethod;
    // The saga sends the other kinds down the local path, which has no payment step.
    if (kind !== PaymentMethodKind.CARD && kind !== PaymentMethodKind.HOSTED_CHECKOUT) throw new Error(`no outside payment for ${kind}`);
    const order = run.recorded(CREATE_ORDER_STEP);
    if (nothingToPay(order)) return { output: COVERED_BY_CREDIT, compensation: { providerReference: null } };
    let attempt: PaymentAttempt;
    let stripeCustomerId: string | null = null;
    try {
      // A plan saves the card for its renewals, to the buyer's one provider customer (created once, under a key of the customer's id).
      if (order.subscriptionId && order.customerId)
        stripeCustomerId = order.stripeCustomerId ?? (await deps.payments.createCustomer(order.customerId, order.email));
      // The buyer was answered at the deadline and recovery owns the order: a payment begun now could land after recovery gave everything back.
      if (run.deadlinePassed()) throw new StepTimeoutError(`step ${PAYMENT_STEP} passed its deadline before the payment was asked for`);
      attempt = await deps.payments.startPayment({
        orderId: order.orderId,
        idempotencyKey: providerKeys.payment(order.orderId),
        kind,
        amount: order.amountDue,
        currency: order.currency,
        email: order.email,
        paymentMethodId: run.input.stripePaymentMethodId,
        returnUrl: run.input.returnUrl,
        cartVersionKey: run.input.versionKey,
        orderNumber: order.orderNumber ?? null,
        saveCardFor: stripeCustomerId,
      });
    } catch (error) {
      if (error instanceof PaymentFailure) return abortWith(userFailure(error.code, error.message, 'paymentMethod'));
      if (error instanceof PaymentOutcomeUnknown) throw new SagaLeftForRecovery(error.message);
      throw error;
    }
    const recorded = { providerReference: attempt.providerReference, status: attempt.status, ...(stripeCustomerId ? { stripeCustomerId } : {}) };
    const waitsUntil = buyerWindowEnd(attempt, deps.clock.now(), deps.config.cardActionTimeoutMs);
    return { output: { ...recorded, attempt, waitsUntil }, compensation: recorded };
  },
  /** Voids what the provider holds for the order (cancels the intent, expires the session, gives back a charge). */
  async compensate(_em, compensation, deps) {
    const providerReference = compensation?.providerReference;
    if (providerReference) await deps.payments.cancelPayment(providerReference, providerKeys.cancel(providerReference));
  },
};
