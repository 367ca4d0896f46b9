import type { Stores } from '../../../db/stores';
import type { OrderStore } from '../../../db/stores/order-store';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { CartStatus, Order, OrderLine, OrderStatus, Payment, PaymentMethodKind, PaymentStatus, VariantKind } from '../../../entities';
import { CHECKOUT_IDEMPOTENCY_SCOPE, idempotencyKeyFor } from '../../orders/checkout-idempotency';
import { takeStockForPaidOrder } from '../../inventory/checkout-stock';
import { cancelOrderAndRestore, reopenCartOf } from '../../orders/cancel-and-restore';
import { placeOrder } from '../../orders/place-order';
import { transition } from '../../state/transition';

/**
 * Ends orders whose payment completes after confirmCheckout answered (3-D
 * Secure, hosted checkout): the checkout saga handed them over PENDING_PAYMENT
 * with their vouchers HELD and stock reserved, and a webhook, the hosted
 * checkout sweeper or recovery finishes them here, each in the caller's ONE
 * transaction (so a webhook's event id commits with its effect).
 */

/**
 * True once checkout has handed the order's payment to the provider and stopped
 * driving it: a card awaiting 3-D Secure, or an open hosted checkout session.
 * Before that the checkout saga (or its recovery) owns the order.
 */
export function awaitsProvider(payment: Pick<Payment, 'kind' | 'status' | 'providerReference'>): boolean {
  if (payment.status === PaymentStatus.REQUIRES_ACTION) return true;
  return payment.kind === PaymentMethodKind.HOSTED_CHECKOUT && payment.status === PaymentStatus.PENDING && payment.providerReference !== null;
}

export interface PendingOrder {
  order: Order;
  payment: Payment | null;
}

/** The order (row-locked) and its latest payment, or null when there is no such order. */
export async function lockPendingOrder(uow: UnitOfWork, orders: OrderStore, orderId: string): Promise<PendingOrder | null> {
  const order = await orders.lock(uow, orderId);
  if (!order) return null;
  const payment = await uow.em.findOne(Payment, { orderId }, { orderBy: { createdAt: 'desc' } });
  return { order, payment };
}

/** What the provider holds for a pending order once the buyer paid: the money taken, or only authorized (manual capture). */
export interface ProviderPaid {
  status: 'CAPTURED' | 'AUTHORIZED';
  amount: number;
  paymentIntentId: string | null;
  /** The card the provider saved for a plan's renewals (pm_…, its own answer), when the payment saved one. */
  savedPaymentMethodId?: string | null;
}

/**
 * PENDING_PAYMENT → PLACED through the one placing function (place-order.ts),
 * as checkout's finalize step does: redemptions CONSUMED, the order's units
 * taken from stock (its reservations converted, or re-taken under row lock
 * when they lapsed; fails closed with INSUFFICIENT_STOCK when the units are
 * gone, so the caller refunds), cart CONVERTED, the idempotency claim
 * COMPLETED with the order id, the payment's new status, licenses for its
 * digital units, outbox `order.placed`. False when the order was not pending.
 * The payment row records what the provider holds: CAPTURED with the amount
 * taken, or AUTHORIZED with nothing captured yet — which places no order with
 * digital units (place-order.ts: nothing is granted before the money is).
 */
export async function placePaidOrder(
  uow: UnitOfWork,
  stores: Pick<Stores, 'stock' | 'licenses' | 'outbox'>,
  order: Order,
  paid: ProviderPaid,
  now: Date,
): Promise<boolean> {
  const tx = uow.em;
  const cartId = order.cartId;
  return placeOrder(uow, stores, {
    order: {
      orderId: order.id,
      cartId,
      paymentKind: order.paymentKind,
      creditApplied: order.creditApplied,
      amountDue: order.amountDue,
      customerId: order.customerId,
      paymentLinkId: order.paymentLinkId,
      digitalUnits: order.digitalUnits,
      subscriptionId: order.subscriptionId,
    },
    now,
    writtenPlaced: false,
    takeStock: async () => {
      if (!cartId) return;
      const lines = await tx.find(OrderLine, { order: order.id, kind: VariantKind.PHYSICAL }, { fields: ['variantId', 'quantity'] });
      if (lines.length > 0)
        await takeStockForPaidOrder(
          uow,
          stores,
          { cartId, orderId: order.id, lines: lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })) },
          now,
        );
    },
    cart: cartId ? { id: cartId, from: CartStatus.CHECKING_OUT } : null,
    claim: cartId && order.cartVersionKey ? { move: { scope: CHECKOUT_IDEMPOTENCY_SCOPE, key: idempotencyKeyFor(cartId, order.cartVersionKey) } } : null,
    payment: {
      from:
        paid.status === 'CAPTURED'
          ? [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.AUTHORIZED]
          : [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION],
      to: PaymentStatus[paid.status],
      fields: { captured: paid.status === 'CAPTURED' ? paid.amount : 0, ...(paid.paymentIntentId ? { providerPaymentIntentId: paid.paymentIntentId } : {}) },
    },
    strict: false,
    savedCard: { savedPaymentMethodId: paid.savedPaymentMethodId ?? null },
  });
}

/**
 * PENDING_PAYMENT → CANCELLED because the payment failed or its session
 * expired: vouchers RELEASED, reservations released, credit returned, payment
 * FAILED or CANCELLED, and the cart OPEN again with its idempotency claim
 * freed, so the buyer can retry the unchanged cart (a new order, a new key).
 * False when the order was not pending.
 */
export async function cancelUnpaidOrder(
  uow: UnitOfWork,
  stores: Pick<Stores, 'stock' | 'licenses' | 'vouchers'>,
  order: Order,
  outcome: 'FAILED' | 'CANCELLED',
  reason: string,
  now: Date,
): Promise<boolean> {
  const tx = uow.em;
  if (outcome === 'FAILED') {
    await transition(tx, Payment, { orderId: order.id }, [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION], PaymentStatus.FAILED);
  }
  if (!(await cancelOrderAndRestore(uow, stores, order, OrderStatus.PENDING_PAYMENT, reason, now))) return false;
  await reopenCartOf(tx, order);
  return true;
}
