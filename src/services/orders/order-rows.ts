import type { UnitOfWork } from '../../db/unit-of-work';
import { Order, OrderLine, OrderStatus, Payment, PaymentMethodKind, PaymentStatus, VariantKind } from '../../entities';
import { newId } from '../../entities/columns';
import type { CartSnapshot } from '../cart/cart-snapshot';
import type { PricingResult } from '../pricing/pricing-engine';
import { newOrderNumber } from './order-number';

/** The order columns an answer shows; written once, so the answer needs no read back. */
export type OrderFields = Pick<
  Order,
  | 'id'
  | 'number'
  | 'status'
  | 'email'
  | 'customerId'
  | 'currency'
  | 'voucherCodes'
  | 'shippingMethodId'
  | 'shippingMethodName'
  | 'shippingAddress'
  | 'createdAt'
  | 'placedAt'
  | 'subtotal'
  | 'discount'
  | 'shipping'
  | 'shippingDiscount'
  | 'tax'
  | 'total'
  | 'creditApplied'
  | 'amountDue'
  | 'refunded'
  | 'digitalUnits'
  | 'subscriptionId'
>;
export type OrderLineFields = Pick<OrderLine, 'id' | 'variantId' | 'kind' | 'sku' | 'name' | 'quantity' | 'unitPrice' | 'discount' | 'total'>;
export type PaymentFields = Pick<Payment, 'id' | 'kind' | 'status' | 'amount' | 'currency' | 'checkoutUrl' | 'clientSecret' | 'providerReference'>;

/** An order as written, with its lines and payment: what confirmCheckout answers. */
export interface WrittenOrder {
  order: OrderFields;
  lines: OrderLineFields[];
  payment: PaymentFields;
}

export interface OrderRowsInput {
  orderId: string;
  cart: CartSnapshot;
  pricing: PricingResult;
  paymentKind: PaymentMethodKind;
  creditApplied: number;
  email: string;
  cartVersionKey: string;
  now: Date;
  /** The checkout settles in this same transaction: the order is written PLACED, a store-credit payment CAPTURED. */
  settledNow: boolean;
  /** The subscription a plan's order starts; null for any other order. */
  subscriptionId?: string | null;
}

/**
 * Writes the order as a full snapshot (lines with sku, name, unit price,
 * discount allocation, total, tax and seller; shipping method id and name;
 * address; voucher codes; totals; the cart's version key) and its one payment
 * row, from the cart as read, with no entity loaded; the rows go out with the
 * unit of work's next insert. An order settled in the same transaction is
 * written in its final state at once, since no one can see it in between.
 */
export function insertOrderRows(uow: UnitOfWork, input: OrderRowsInput): WrittenOrder {
  const { cart, pricing, now } = input;
  const amountDue = pricing.total - input.creditApplied;
  const order: OrderFields & Pick<Order, 'cartId' | 'cartVersionKey' | 'paymentKind'> = {
    id: input.orderId,
    number: newOrderNumber(now),
    status: input.settledNow ? OrderStatus.PLACED : OrderStatus.PENDING_PAYMENT,
    email: input.email,
    customerId: cart.customerId,
    cartId: cart.id,
    cartVersionKey: input.cartVersionKey,
    paymentKind: input.paymentKind,
    currency: cart.currency,
    voucherCodes: [...pricing.appliedVoucherCodes],
    shippingMethodId: cart.shippingMethod?.id ?? null,
    shippingMethodName: cart.shippingMethod?.name ?? null,
    shippingAddress: cart.shippingAddress ? { ...cart.shippingAddress } : null,
    subtotal: pricing.subtotal,
    discount: pricing.discount,
    shipping: pricing.shipping,
    shippingDiscount: pricing.shippingDiscount,
    tax: pricing.tax,
    total: pricing.total,
    creditApplied: input.creditApplied,
    amountDue,
    refunded: 0,
    digitalUnits: cart.lines.filter((line) => line.kind === VariantKind.DIGITAL).reduce((units, line) => units + line.quantity, 0),
    subscriptionId: input.subscriptionId ?? null,
    createdAt: now,
    placedAt: input.settledNow ? now : null,
  };
  const facts = new Map(cart.lines.map((line) => [line.variantId, line]));
  const lines = pricing.lines.map((priced, position) => {
    const line = facts.get(priced.variantId);
    if (!line) throw new Error(`variant ${priced.variantId} is not on cart ${cart.id}`);
    return {
      id: newId(),
      order: order.id,
      position,
      variantId: line.variantId,
      kind: line.kind,
      sellerId: line.sellerId,
      sku: line.sku,
      name: `${line.productName} — ${line.variantName}`,
      quantity: priced.quantity,
      unitPrice: priced.unitPrice,
      discount: priced.discount,
      total: priced.net,
      tax: priced.tax,
    };
  });
  // Store credit is the whole payment for STORE_CREDIT; otherwise the method is charged what credit left.
  const paidByCredit = input.paymentKind === PaymentMethodKind.STORE_CREDIT;
  const captured = paidByCredit && input.settledNow;
  const payment: PaymentFields & Pick<Payment, 'orderId' | 'captured' | 'createdAt'> = {
    id: newId(),
    orderId: order.id,
    kind: input.paymentKind,
    status: captured ? PaymentStatus.CAPTURED : PaymentStatus.PENDING,
    amount: paidByCredit ? input.creditApplied : amountDue,
    captured: captured ? input.creditApplied : 0,
    currency: cart.currency,
    checkoutUrl: null,
    clientSecret: null,
    providerReference: null,
    createdAt: now,
  };
  // Nothing in the checkout's transaction reads these rows back: they go out with its next insert (the saga row's).
  uow.defer(Order, order);
  uow.defer(OrderLine, lines);
  uow.defer(Payment, payment);
  return { order, lines, payment };
}
