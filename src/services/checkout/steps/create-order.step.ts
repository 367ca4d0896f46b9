import type { EntityManager } from '../../../db/orm';
import { PaymentMethodKind, type Cart } from '../../../entities';
import { priceCartEntity } from '../../cart/cart-pricing';
import { creditBalance, lockCustomerCredit, spendCredit } from '../../credit/credit-ledger';
import { cancelPendingOrder, createOrderSnapshot } from '../../orders/order-lifecycle';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { pricedCheckoutCart } from '../checkout-cart';
import type { CheckoutDeps, CheckoutSagaInput, CheckoutStep, OrderData } from '../checkout-types';

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
  const { paymentId, amountDue } = await createOrderSnapshot(tx, {
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
  return { orderId: input.orderId, paymentId, creditApplied, amountDue, currency: cart.currency, email };
}

export const createOrderStep: CheckoutStep = {
  id: CREATE_ORDER_STEP,
  invoke(ctx, deps) {
    return ctx.local(async (tx) => createOrder(tx, ctx.input, await pricedCheckoutCart(ctx, tx), deps));
  },
  /** Order CANCELLED with a reason, payment cancelled, spent credit given back by a new ledger row. */
  async compensate(em, compensation, deps) {
    const { orderId } = compensation as OrderData;
    await em.transactional((tx) => cancelPendingOrder(tx, orderId, 'checkout did not complete', deps.clock.now()));
  },
};
