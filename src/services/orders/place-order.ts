import type { EntityData } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import type { Stores } from '../../db/stores';
import type { UnitOfWork } from '../../db/unit-of-work';
import {
  Cart,
  CartStatus,
  IdempotencyRecord,
  IdempotencyStatus,
  Order,
  OrderStatus,
  Payment,
  PaymentLink,
  PaymentLinkStatus,
  PaymentStatus,
  RedemptionStatus,
  VoucherRedemption,
} from '../../entities';
import { digitalLinesOf, issueLicenses, type DigitalLine } from '../licenses/issue-licenses';
import { activateSubscription, type SavedCard } from '../subscriptions/first-period';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure, type Failure } from '../shared/outcome';
import { transition, type TransitionTarget } from '../state/transition';
import { consumeRedemptions } from '../vouchers/voucher-holds';
import { CHECKOUT_IDEMPOTENCY_SCOPE } from './checkout-idempotency';
import { orderPlacedEvent, type PlacedOrderFacts } from './order-placed-event';

/** The order being placed: what its event announces and what its licenses need. */
export interface PlacingOrder extends PlacedOrderFacts {
  customerId: string | null;
  paymentLinkId: string | null;
  /** Units on DIGITAL lines: 0 means no license statement at all. */
  digitalUnits: number;
  /** The subscription this order starts (a plan's checkout) or renews; null or absent means no subscription statement at all. */
  subscriptionId?: string | null;
}

/** How the order's idempotency claim ends COMPLETED with the order id. */
export type ClaimCompletion =
  /** A checkout settled in this transaction wrote no claim yet: it is inserted COMPLETED. */
  | { insert: { id: string; key: string } }
  /** A claim IN_PROGRESS (by id, or by checkout key) moves to COMPLETED. */
  | { move: TransitionTarget<IdempotencyRecord> }
  | null;

/** The payment row's move once the provider answered; null when nothing moves (local kinds). */
export interface PaymentMove {
  /** The payment row by id when the caller knows it; else the order's payment. */
  paymentId?: string;
  from: PaymentStatus[];
  to: PaymentStatus.CAPTURED | PaymentStatus.AUTHORIZED;
  fields: EntityData<Payment>;
}

export interface OrderPlacement {
  order: PlacingOrder;
  now: Date;
  /** The order row was written PLACED in this transaction already (a checkout settled at once). */
  writtenPlaced: boolean;
  /** The redemptions held for it, when known; otherwise those HELD for the order are looked up. */
  redemptionIds?: readonly string[];
  /** Takes the order's units off the shelf: only the caller knows how its units were held. Fails closed (INSUFFICIENT_STOCK). */
  takeStock(): Promise<void>;
  /** The cart's move to CONVERTED (from OPEN when it never left it, else CHECKING_OUT); null for an order without a cart. */
  cart: { id: string; from: CartStatus } | null;
  claim: ClaimCompletion;
  payment: PaymentMove | null;
  /** The order's DIGITAL lines when the caller holds them; else read when digitalUnits says there are any. */
  digitalLines?: readonly DigitalLine[];
  /**
   * A lost race (cart no longer checking out, a voucher hold released) aborts
   * the placement (the checkout answers it); a payment webhook places a paid
   * order regardless of the cart's state.
   */
  strict: boolean;
  /** A plan paid by card: the provider customer and the card saved for renewals, kept on the subscription it activates. */
  savedCard?: SavedCard;
}

const lost = (what: string): never => abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, `Checkout could not finish: ${what}.`));

/** Why an order that grants digital goods or a plan was not placed: its money is not in. */
export const grantsNeedMoney = (): Failure =>
  userFailure(
    ErrorCode.VALIDATION_FAILED,
    'Digital items and plans are granted only once their payment is captured or store credit covers it: pay by card, hosted checkout or store credit.',
    'paymentMethod',
  );

/**
 * Nothing is granted before the money is. An order that grants something the
 * moment it is placed (a license per DIGITAL unit, a subscription's access)
 * is placed only when its money is in: nothing is left to pay after store
 * credit (amountDue 0), or this placement records its payment CAPTURED for the
 * whole amount due. Cash on delivery, a payment still pending and an
 * authorization not yet captured are promises, not money: an authorization is
 * voided or lapses, a parcel is refused at the door, but a license key once
 * read cannot be taken back. The check reads only what the caller hands in,
 * so it runs before anything is written.
 */
function refuseGrantsWithoutMoney({ order, payment }: Pick<OrderPlacement, 'order' | 'payment'>): void {
  const grants = order.digitalUnits > 0 || Boolean(order.subscriptionId);
  if (!grants || order.amountDue === 0) return;
  const captured = payment?.to === PaymentStatus.CAPTURED ? Number(payment.fields.captured ?? 0) : 0;
  if (captured < order.amountDue) abortWith(grantsNeedMoney());
}

/**
 * THE way an order becomes PLACED, in the caller's one transaction, from every
 * route (cash on delivery and store credit at confirm, a card at confirm, a
 * 3-D Secure, hosted checkout or payment link webhook, recovery): order
 * PENDING_PAYMENT → PLACED (guarded; false when it was not pending), vouchers
 * CONSUMED, units taken from stock, cart CONVERTED, idempotency claim
 * COMPLETED, the provider's answer on the payment row, one license per
 * DIGITAL unit, its subscription ACTIVE and entitled (a plan's first order,
 * subscriptions/first-period.ts), outbox `order.placed`. An order without digital lines runs no
 * license statement at all. An order with digital units whose money is not in
 * is refused first (refuseGrantsWithoutMoney), whatever the route and however
 * `strict`: the caller's transaction rolls back, and a paid route gives the
 * payment back as for any order it cannot place.
 */
export async function placeOrder(uow: UnitOfWork, stores: Pick<Stores, 'licenses' | 'outbox'>, placement: OrderPlacement): Promise<boolean> {
  const tx = uow.em;
  const { order, now } = placement;
  refuseGrantsWithoutMoney(placement);
  if (!placement.writtenPlaced) {
    // An order written a moment ago in this transaction (a card order credit covered whole) may still wait in the unit of work.
    await uow.readable(Order);
    const moved = await transition(tx, Order, order.orderId, OrderStatus.PENDING_PAYMENT, OrderStatus.PLACED, { placedAt: now });
    if (moved !== 1) return placement.strict ? lost('the order is no longer pending') : false;
  }
  await markPaymentLinkPaid(tx, order);
  if (!placement.writtenPlaced) {
    const redemptionIds =
      placement.redemptionIds ??
      (await tx.find(VoucherRedemption, { orderId: order.orderId, status: RedemptionStatus.HELD }, { fields: ['id'] })).map((r) => r.id);
    if ((await consumeRedemptions(tx, redemptionIds, order.orderId)) !== redemptionIds.length && placement.strict) lost('a voucher hold was released');
  }
  await placement.takeStock();
  if (placement.cart && (await transition(tx, Cart, placement.cart.id, placement.cart.from, CartStatus.CONVERTED)) !== 1 && placement.strict) {
    lost('the cart is not checking out');
  }
  await completeClaim(uow, placement.claim, order.orderId, now);
  if (placement.payment) {
    const { paymentId, from, to, fields } = placement.payment;
    await transition(tx, Payment, paymentId ?? { orderId: order.orderId }, from, to, fields);
  }
  if (order.digitalUnits > 0) {
    const lines = placement.digitalLines ?? (await digitalLinesOf(tx, order.orderId));
    await issueLicenses(uow, stores, { id: order.orderId, customerId: order.customerId, digitalUnits: order.digitalUnits }, lines, now);
  }
  if (order.subscriptionId) await activateSubscription(uow, order.subscriptionId, order.orderId, placement.savedCard ?? {}, now);
  stores.outbox.append(uow, [orderPlacedEvent(order)]);
  return true;
}

/** The checkout's idempotency claim COMPLETED with the order id (placing it, or handing its payment to the buyer). */
export async function completeClaim(uow: UnitOfWork, claim: ClaimCompletion, orderId: string, now: Date): Promise<void> {
  if (!claim) return;
  if ('insert' in claim) {
    const { id, key } = claim.insert;
    // Nothing reads the record back in this transaction: it may go out with the transaction's next insert.
    uow.defer(IdempotencyRecord, { id, status: IdempotencyStatus.COMPLETED, scope: CHECKOUT_IDEMPOTENCY_SCOPE, key, resultId: orderId, createdAt: now });
    return;
  }
  await transition(uow.em, IdempotencyRecord, claim.move, IdempotencyStatus.IN_PROGRESS, IdempotencyStatus.COMPLETED, { resultId: orderId });
}

/** OPEN -> PAID once the link's order is placed, in the caller's (webhook) transaction. */
async function markPaymentLinkPaid(tx: EntityManager, order: Pick<Order, 'paymentLinkId'>): Promise<void> {
  if (order.paymentLinkId) await transition(tx, PaymentLink, order.paymentLinkId, PaymentLinkStatus.OPEN, PaymentLinkStatus.PAID);
}
