import { randomBytes } from 'node:crypto';
import type { EntityManager } from '../../db/orm';
import {
  Cart,
  CartStatus,
  IdempotencyRecord,
  Order,
  OrderStatus,
  Payment,
  PaymentMethodKind,
  PaymentStatus,
  Reservation,
  ReservationStatus,
} from '../../entities';
import { CHECKOUT_IDEMPOTENCY_SCOPE, idempotencyKeyFor } from '../checkout/checkout-types';
import { reverseOrderSpend } from '../credit/credit-ledger';
import { releaseReservations, restoreConvertedStock } from '../inventory/reservations';
import { releaseLicenseSlots } from '../licenses/license-slots';
import { revokeOrderLicenses } from '../licenses/revoke-licenses';
import { recordEvent, type EventToRecord } from '../outbox/outbox';
import { transition } from '../state/transition';
import { releaseOrderRedemptions } from '../vouchers/voucher-holds';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome, writeLock } from '../shared/transactions';

/** Human-facing order number: date plus random, unique by index (the id stays the real key). */
export function newOrderNumber(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `TG-${day}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** What `order.placed` tells subscribers; checkout's finalize and the payment webhooks both send it. */
export interface PlacedOrderFacts {
  orderId: string;
  cartId: string | null;
  paymentKind: PaymentMethodKind;
  creditApplied: number;
  amountDue: number;
}

/** The `order.placed` event of an order. */
export function orderPlacedEvent(facts: PlacedOrderFacts): EventToRecord {
  const { orderId, cartId, paymentKind, creditApplied, amountDue } = facts;
  return { type: 'order.placed', aggregateId: orderId, payload: { orderId, cartId, paymentKind, creditApplied, amountDue } };
}

/**
 * Undoes an order's own effects when a checkout is compensated: the order is
 * CANCELLED with the reason, its payment row cancelled, any credit it spent
 * given back as a new ledger row, and the license units it claimed freed. Idempotent.
 */
export async function cancelPendingOrder(tx: EntityManager, orderId: string, reason: string, now: Date, digitalUnits: number): Promise<void> {
  const cancelled = await transition(tx, Order, orderId, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, {
    cancelReason: reason.slice(0, 500),
    cancelledAt: now,
  });
  if (cancelled) await releaseLicenseSlots(tx, { id: orderId, digitalUnits });
  await transition(tx, Payment, { orderId }, [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION], PaymentStatus.CANCELLED);
  await reverseOrderSpend(tx, orderId, now);
  if (cancelled) recordEvent(tx, { type: 'checkout.compensated', aggregateId: orderId, payload: { orderId, reason } });
}

/**
 * Cancels an order and puts back everything it took, in the caller's single
 * transaction: vouchers released, stock restored (units back on hand for a
 * placed order, reservations released for a pending one), licenses REVOKED
 * (placed) or their claimed units freed (pending, never issued), credit returned,
 * payment cancelled, outbox `order.cancelled`. Returns false when the order was
 * not in `from` any more (a lost race): then nothing was written.
 */
export async function cancelOrderAndRestore(
  tx: EntityManager,
  order: Pick<Order, 'id' | 'cartId' | 'digitalUnits'>,
  from: OrderStatus.PENDING_PAYMENT | OrderStatus.PLACED,
  reason: string,
  now: Date,
): Promise<boolean> {
  const moved = await transition(tx, Order, order.id, from, OrderStatus.CANCELLED, { cancelReason: reason.slice(0, 500), cancelledAt: now });
  if (moved === 0) return false;
  await releaseOrderRedemptions(tx, order.id, now);
  if (from === OrderStatus.PLACED) {
    await restoreConvertedStock(tx, order.id);
    await revokeOrderLicenses(tx, order, { cancelled: true }, now);
  } else {
    if (order.cartId) {
      const held = await tx.find(Reservation, { cartId: order.cartId, status: ReservationStatus.ACTIVE }, { fields: ['id'] });
      await releaseReservations(tx, held.map((r) => r.id));
    }
    await releaseLicenseSlots(tx, order);
  }
  await transition(tx, Payment, { orderId: order.id }, [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.AUTHORIZED], PaymentStatus.CANCELLED);
  const creditReturned = await reverseOrderSpend(tx, order.id, now);
  recordEvent(tx, { type: 'order.cancelled', aggregateId: order.id, payload: { orderId: order.id, reason, creditReturned } });
  return true;
}

export interface CancelOrderCommand {
  orderId: string;
  reason: string;
  /** `cartId`: what a guest names to prove the order is theirs. */
  /** `tokenOrderId`: the order an order token the caller holds was made for (orderTokenFor). */
  actor: { customerId: string | null; isAdmin: boolean; cartId?: string | null; tokenOrderId?: string | null };
  now: Date;
}

/**
 * Who may cancel an order: an admin; the customer who owns it; and, for a
 * guest order (no customer), whoever names the cart it was placed from. That
 * cart id is the guest's capability already (it is all a guest cart needs), and
 * without it a guest could never give back the stock a cash-on-delivery order
 * holds. A customer's order is never cancelled by cart id.
 */
function mayCancel(order: Pick<Order, 'id' | 'customerId' | 'cartId'>, actor: CancelOrderCommand['actor']): boolean {
  if (actor.isAdmin) return true;
  if (order.customerId !== null) return order.customerId === actor.customerId;
  return (!!actor.cartId && order.cartId === actor.cartId) || actor.tokenOrderId === order.id;
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

/**
 * cancelOrder for the owner, a guest with its cart id, or an admin: a
 * PENDING_PAYMENT order, or a PLACED cash-on-delivery one (nothing has been
 * collected or shipped), becomes CANCELLED with everything it took given back,
 * in one transaction. Any other state answers INVALID_STATE_TRANSITION; an order
 * the caller may not cancel is NOT_FOUND, so order ids cannot be probed.
 */
export function cancelOrder(em: EntityManager, command: CancelOrderCommand): Promise<Outcome<Order>> {
  const notFound = () => abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such order.', 'orderId'));
  return transactionalOutcome(em, async (tx) => {
    if (!isId(command.orderId)) return notFound();
    const order = await tx.findOne(Order, { id: command.orderId }, writeLock(tx));
    if (!order || !mayCancel(order, command.actor)) return notFound();
    const cancellable =
      order.status === OrderStatus.PENDING_PAYMENT ||
      (order.status === OrderStatus.PLACED && order.paymentKind === PaymentMethodKind.CASH_ON_DELIVERY);
    if (!cancellable) {
      return abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, `An order that is ${order.status} (${order.paymentKind}) cannot be cancelled.`, 'orderId'));
    }
    const from = order.status as OrderStatus.PENDING_PAYMENT | OrderStatus.PLACED;
    if (!(await cancelOrderAndRestore(tx, order, from, command.reason, command.now))) {
      return abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, 'The order changed state meanwhile; reload it.', 'orderId'));
    }
    if (from === OrderStatus.PENDING_PAYMENT) await reopenCartOf(tx, order);
    await tx.refresh(order);
    return order;
  });
}
