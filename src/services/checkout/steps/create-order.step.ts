import type { EntityManager } from '../../../db/orm';
import { Cart, CartStatus, PaymentMethodKind } from '../../../entities';
import { transition } from '../../state/transition';
import { priceCartEntity } from '../../cart/cart-pricing';
import { creditBalance, lockCustomerCredit, spendCredit } from '../../credit/credit-ledger';
import { cancelPendingOrder, createOrderSnapshot } from '../../orders/order-lifecycle';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { alwaysLocal, settlesLocally, type CheckoutDeps, type CheckoutSagaInput, type CheckoutStep, type OrderData } from '../checkout-types';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const CREATE_ORDER_STEP = 'create-order';

/** How much store credit this checkout spends: all of it for STORE_CREDIT, what is there for useCredit. */
async function creditToApply(tx: EntityManager, input: CheckoutSagaInput, customerId: string | null, currency: string, total: number): Promise<number> {
  const paysWithCredit = input.paymentMethod === PaymentMethodKind.STORE_CREDIT;
  if (!paysWithCredit && !input.useCredit) return 0;
  if (!customerId) {
    return paysWithCredit ? abortWith(userFailure(ErrorCode.INSUFFICIENT_CREDIT, 'Sign in to pay with store credit.', 'paymentMethod')) : 0;
  }
  await lockCustomerCredit(tx, customerId);
  const balance = await creditBalance(tx, customerId, currency);
  if (paysWithCredit && balance < total) {
    abortWith(userFailure(ErrorCode.INSUFFICIENT_CREDIT, `Store credit (${balance}) does not cover the total (${total}).`, 'paymentMethod'));
  }
  return Math.max(0, Math.min(balance, total));
}

/**
 * Step 5: amount checks first (nothing is written for an out-of-range total),
 * then the order snapshot PENDING_PAYMENT with its payment row, the credit
 * debit (the held redemptions already name the order).
 */
async function createOrder(tx: EntityManager, input: CheckoutSagaInput, cart: Cart, deps: CheckoutDeps): Promise<OrderData> {
  const now = deps.clock.now();
  const { pricing } = await priceCartEntity(tx, cart);
  if (pricing.total < 0 || pricing.total > deps.config.maxOrderAmount) {
    abortWith(userFailure(ErrorCode.ORDER_AMOUNT_OUT_OF_RANGE, `The order total must be between 0 and ${deps.config.maxOrderAmount}.`));
  }
  const customerId = cart.customer?.id ?? null;
  const creditApplied = await creditToApply(tx, input, customerId, cart.currency, pricing.total);
  const email = cart.customer?.email ?? cart.email!;
  const { paymentId, amountDue, orderNumber } = await createOrderSnapshot(tx, {
    orderId: input.orderId,
    cart,
    pricing,
    paymentKind: input.paymentMethod,
    creditApplied,
    email,
    cartVersionKey: input.versionKey,
    now,
  });
  if (customerId && creditApplied > 0) await spendCredit(tx, { customerId, currency: cart.currency, amount: creditApplied, orderId: input.orderId, now });
  // The rows must be in the database before finalize's guarded updates, which may run in this same transaction.
  await tx.flush();
  // A payment made outside happens after this transaction commits: meanwhile the cart takes no changes. (After
  // the flush above: the move bumps the cart's version, which the price guard's entity write must not see.)
  if (!settlesLocally(input)) await transition(tx, Cart, cart.id, CartStatus.OPEN, CartStatus.CHECKING_OUT);
  return { orderId: input.orderId, orderNumber, paymentId, creditApplied, amountDue, currency: cart.currency, email };
}

export const createOrderStep: CheckoutStep<'create-order'> = {
  id: CREATE_ORDER_STEP,
  isLocal: alwaysLocal,
  async invoke(tx, run, deps) {
    const order = await createOrder(tx, run.input, run.output(PRICE_GUARD_STEP).cart, deps);
    return { output: order, compensation: order };
  },
  /** Order CANCELLED with a reason, payment cancelled, spent credit given back by a new ledger row. */
  async compensate(em, { orderId }, deps) {
    await em.transactional((tx) => cancelPendingOrder(tx, orderId, 'checkout did not complete', deps.clock.now()));
  },
};
