import type { EntityManager } from '../../db/orm';
import type { Stores } from '../../db/stores';
import type { UnitOfWork } from '../../db/unit-of-work';
import { Cart, CartStatus, IdempotencyRecord, Order, OrderStatus, Payment, PaymentStatus } from '../../entities';
import { CHECKOUT_IDEMPOTENCY_SCOPE, idempotencyKeyFor } from './checkout-idempotency';
import { reverseOrderSpend } from '../credit/credit-ledger';
import { revokeOrderLicenses } from '../licenses/revoke-licenses';
import { recordEvent } from '../outbox/outbox';
import { transition } from '../state/transition';
import { releaseOrderRedemptions } from '../vouchers/voucher-holds';
import { expireUnpaidSubscription } from '../subscriptions/first-period';
import { endAccessNow } from '../subscriptions/end-access';

/**
 * Undoes an order's own effects when a checkout is compensated: the order is
 * CANCELLED with the reason, its payment row cancelled, any credit it spent
 * given back as a new ledger row, the license units it claimed freed, and the
 * subscription it would have started INCOMPLETE_EXPIRED. Idempotent.
 */
export async function cancelPendingOrder(
  uow: UnitOfWork,
  { licenses }: Pick<Stores, 'licenses'>,
  orderId: string,
  reason: string,
  now: Date,
  digitalUnits: number,
  subscriptionId: string | null = null,
): Promise<void> {
  const tx = uow.em;
  const cancelled = await transition(tx, Order, orderId, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, {
    cancelReason: reason.slice(0, 500),
    cancelledAt: now,
  });
  if (cancelled) await licenses.giveBack(uow, { id: orderId, digitalUnits });
  if (cancelled && subscriptionId) await expireUnpaidSubscription(tx, subscriptionId, orderId);
  await transition(tx, Payment, { orderId }, [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION], PaymentStatus.CANCELLED);
  await reverseOrderSpend(tx, orderId, now);
  if (cancelled) recordEvent(tx, { type: 'checkout.compensated', aggregateId: orderId, payload: { orderId, reason } });
}

/**
 * Cancels an order and puts back everything it took, in the caller's single
 * transaction: vouchers released, stock restored (units back on hand for a
 * placed order, reservations released for a pending one), licenses REVOKED
 * (placed) or their claimed units freed (pending, never issued), the
 * subscription it bills CANCELED (placed: its money goes back) or
 * INCOMPLETE_EXPIRED (pending: never paid, never renewed), credit returned,
 * payment cancelled, outbox `order.cancelled`. Returns false when the order was
 * not in `from` any more (a lost race): then nothing was written.
 */
export async function cancelOrderAndRestore(
  uow: UnitOfWork,
  { stock, licenses, vouchers }: Pick<Stores, 'stock' | 'licenses' | 'vouchers'>,
  order: Pick<Order, 'id' | 'cartId' | 'digitalUnits' | 'subscriptionId'>,
  from: OrderStatus.PENDING_PAYMENT | OrderStatus.PLACED,
  reason: string,
  now: Date,
): Promise<boolean> {
  const tx = uow.em;
  const moved = await transition(tx, Order, order.id, from, OrderStatus.CANCELLED, { cancelReason: reason.slice(0, 500), cancelledAt: now });
  if (moved === 0) return false;
  await releaseOrderRedemptions(uow, vouchers, order.id, now);
  if (from === OrderStatus.PLACED) {
    await stock.restore(uow, order.id);
    await revokeOrderLicenses(tx, order, { cancelled: true }, now);
    if (order.subscriptionId) await endAccessNow(tx, order.subscriptionId, 'order cancelled', now, order.id);
  } else {
    if (order.cartId) await stock.releaseCart(uow, order.cartId);
    await licenses.giveBack(uow, order);
    if (order.subscriptionId) await expireUnpaidSubscription(tx, order.subscriptionId, order.id);
  }
  await transition(
    tx,
    Payment,
    { orderId: order.id },
    [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.AUTHORIZED],
    PaymentStatus.CANCELLED,
  );
  const creditReturned = await reverseOrderSpend(tx, order.id, now);
  recordEvent(tx, { type: 'order.cancelled', aggregateId: order.id, payload: { orderId: order.id, reason, creditReturned } });
  return true;
}

/**
 * After a pending order is cancelled (its payment failed, its session
 * expired, or someone cancelled it): its cart is OPEN again and its
 * idempotency claim freed, so the buyer can retry the unchanged cart (a new
 * order, a new key). Only this order's claim: a later attempt on the same cart
 * keeps its own.
 */
export async function reopenCartOf(tx: EntityManager, order: Pick<Order, 'id' | 'cartId' | 'cartVersionKey'>): Promise<void> {
  if (!order.cartId) return;
  await transition(tx, Cart, order.cartId, CartStatus.CHECKING_OUT, CartStatus.OPEN);
  if (!order.cartVersionKey) return;
  const key = idempotencyKeyFor(order.cartId, order.cartVersionKey);
  await tx.nativeDelete(IdempotencyRecord, { scope: CHECKOUT_IDEMPOTENCY_SCOPE, key, $or: [{ resultId: order.id }, { resultId: null }] });
}
