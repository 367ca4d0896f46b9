import type { CreditStore } from '../../../db/stores/credit-store';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { PaymentMethodKind, VariantKind } from '../../../entities';
import { spendCredit } from '../../credit/credit-ledger';
import { cancelPendingOrder } from '../../orders/cancel-and-restore';
import { insertOrderRows } from '../../orders/order-rows';
import { startSubscriptionFor } from '../../subscriptions/start-subscription';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { alwaysLocal, type CheckoutDeps, type CheckoutSagaInput, type CheckoutShape, type CheckoutStep, type PricedCart } from '../checkout-types';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const CREATE_ORDER_STEP = 'create-order';

/** How much store credit this checkout spends: all of it for STORE_CREDIT, what is there for useCredit. */
async function creditToApply(
  uow: UnitOfWork,
  credit: CreditStore,
  input: CheckoutSagaInput,
  customerId: string | null,
  currency: string,
  total: number,
): Promise<number> {
  const paysWithCredit = input.paymentMethod === PaymentMethodKind.STORE_CREDIT;
  if (!paysWithCredit && !input.useCredit) return 0;
  if (!customerId) {
    return paysWithCredit ? abortWith(userFailure(ErrorCode.INSUFFICIENT_CREDIT, 'Sign in to pay with store credit.', 'paymentMethod')) : 0;
  }
  await credit.lockHolder(uow, customerId);
  const balance = await credit.balance(uow, customerId, currency);
  if (paysWithCredit && balance < total) {
    abortWith(userFailure(ErrorCode.INSUFFICIENT_CREDIT, `Store credit (${balance}) does not cover the total (${total}).`, 'paymentMethod'));
  }
  return Math.max(0, Math.min(balance, total));
}

/**
 * Step 5: amount checks first (nothing is written for an out-of-range total),
 * then the order snapshot with its payment row and the credit debit (the held
 * redemptions already name the order), written PLACED or PENDING_PAYMENT.
 */
async function createOrder(
  uow: UnitOfWork,
  input: CheckoutSagaInput,
  { cart, pricing }: PricedCart,
  deps: CheckoutDeps,
  placed: boolean,
): Promise<CheckoutShape['outputs']['create-order']> {
  const tx = uow.em;
  const now = deps.clock.now();
  if (pricing.total < 0 || pricing.total > deps.config.maxOrderAmount) {
    abortWith(userFailure(ErrorCode.ORDER_AMOUNT_OUT_OF_RANGE, `The order total must be between 0 and ${deps.config.maxOrderAmount}.`));
  }
  const customerId = cart.customerId;
  const creditApplied = await creditToApply(uow, deps.stores.credit, input, customerId, cart.currency, pricing.total);
  const email = cart.customerEmail ?? cart.email!;
  const plan = await startSubscriptionFor(uow, deps.stores.subscriptions, {
    cart,
    orderId: input.orderId,
    paymentMethod: input.paymentMethod,
    useCredit: input.useCredit,
    daySeconds: deps.config.billing.daySeconds,
    now,
  });
  const written = insertOrderRows(uow, {
    orderId: input.orderId,
    cart,
    pricing,
    paymentKind: input.paymentMethod,
    creditApplied,
    email,
    cartVersionKey: input.versionKey,
    now,
    settledNow: placed,
    subscriptionId: plan?.subscriptionId ?? null,
  });
  if (customerId && creditApplied > 0) await spendCredit(tx, { customerId, currency: cart.currency, amount: creditApplied, orderId: input.orderId, now });
  const { order, payment } = written;
  const digitalLines = written.lines
    .filter((line) => line.kind === VariantKind.DIGITAL)
    .map((line) => ({ id: line.id, variantId: line.variantId, quantity: line.quantity }));
  return {
    orderId: order.id,
    orderNumber: order.number,
    paymentId: payment.id,
    creditApplied,
    amountDue: order.amountDue,
    currency: cart.currency,
    email,
    customerId,
    digitalLines,
    ...(plan ? { subscriptionId: plan.subscriptionId, stripeCustomerId: plan.stripeCustomerId } : {}),
    written,
  };
}

/**
 * Step 5: the order PENDING_PAYMENT on the provider path, where it waits for
 * the payment; PLACED on the local path, which has no payment to wait for
 * (the path's last step places it in the same transaction).
 */
export function createOrderStep(options: { placed: boolean }): CheckoutStep<'create-order'> {
  return {
    id: CREATE_ORDER_STEP,
    isLocal: alwaysLocal,
    async invoke(uow, run, deps) {
      const created = await createOrder(uow, run.input, run.output(PRICE_GUARD_STEP), deps, options.placed);
      const { written: _written, ...recorded } = created;
      return { output: created, compensation: recorded };
    },
    /** Order CANCELLED with a reason, payment cancelled, spent credit given back by a new ledger row, claimed license units freed, a plan's subscription INCOMPLETE_EXPIRED. */
    async compensate(em, { orderId, digitalLines, subscriptionId }, deps) {
      const digitalUnits = (digitalLines ?? []).reduce((units, line) => units + line.quantity, 0);
      await deps.db.transaction(em, (uow) =>
        cancelPendingOrder(uow, deps.stores, orderId, 'checkout did not complete', deps.clock.now(), digitalUnits, subscriptionId ?? null),
      );
    },
  };
}
