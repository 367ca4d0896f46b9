import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OrderStatus, PaymentMethodKind, PaymentStatus, RefundStatus, TransferStatus, type Order, type Refund, type SellerTransfer } from '../../entities';
import type { OrderPage } from '../../services/orders/order-queries.service';
import type { OrderFields, OrderLineFields, PaymentFields } from '../../services/orders/order-rows';
import { AddressType, CartTotalsType } from './cart.type';
import { Money, PageInfo } from './common.type';

// The entity enums hold exactly the public values, so they are the GraphQL enums.
// Registered here once; other areas (checkout inputs) import these types from this file.
registerEnumType(OrderStatus, { name: 'OrderStatus' });
registerEnumType(PaymentStatus, { name: 'PaymentStatus' });
registerEnumType(PaymentMethodKind, { name: 'PaymentMethodKind' });
registerEnumType(RefundStatus, { name: 'RefundStatus' });
registerEnumType(TransferStatus, { name: 'TransferStatus' });

@ObjectType('Payment')
export class PaymentType {
  @Field(() => ID) id!: string;
  @Field(() => PaymentMethodKind) kind!: PaymentMethodKind;
  @Field(() => PaymentStatus) status!: PaymentStatus;
  @Field(() => Money) amount!: Money;

  @Field(() => String, { nullable: true, description: 'Stripe Checkout URL for HOSTED_CHECKOUT.' })
  checkoutUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'PaymentIntent client secret when the buyer must act (3-D Secure).' })
  clientSecret!: string | null;

  @Field(() => String, { nullable: true, description: 'pi_... or cs_...' })
  providerReference!: string | null;
}

/** `variant` is a field resolver (order.resolver.ts) reading `variantId` through a loader. */
@ObjectType('OrderLine')
export class OrderLineType {
  @Field(() => ID) id!: string;
  @Field() sku!: string;
  @Field() name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money) discount!: Money;
  @Field(() => Money) total!: Money;

  variantId!: string;
}

/** The cart's breakdown, frozen at confirm, plus how it was paid and what was refunded. */
@ObjectType('OrderTotals')
export class OrderTotalsType extends CartTotalsType {
  @Field(() => Money) creditApplied!: Money;

  @Field(() => Money, { description: 'total - creditApplied: what the payment method is charged.' })
  amountDue!: Money;

  @Field(() => Money) refunded!: Money;
}

@ObjectType('Refund')
export class RefundType {
  @Field(() => ID) id!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => RefundStatus) status!: RefundStatus;
  @Field() reason!: string;
  @Field(() => String, { nullable: true }) providerRefundId!: string | null;
  @Field() createdAt!: Date;
}

/** `seller` is a field resolver reading `sellerId` through a loader. */
@ObjectType('SellerTransfer')
export class SellerTransferType {
  @Field(() => ID) id!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => TransferStatus) status!: TransferStatus;
  @Field(() => String, { nullable: true }) stripeTransferId!: string | null;
  @Field(() => String, { nullable: true }) stripeReversalId!: string | null;
  @Field(() => Int) retryCount!: number;
  @Field(() => Date, { nullable: true }) nextRetryAt!: Date | null;

  sellerId!: string;
}

/**
 * The public order. `lines`, `customer`, `payments`, `refunds` and `sellerTransfers`
 * are field resolvers backed by per-request DataLoaders, so a page of orders costs
 * a constant number of statements.
 */
@ObjectType('Order')
export class OrderType {
  @Field(() => ID) id!: string;
  @Field() number!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field() email!: string;
  @Field(() => [String]) voucherCodes!: string[];
  @Field(() => ID, { nullable: true }) shippingMethodId!: string | null;
  @Field(() => String, { nullable: true }) shippingMethodName!: string | null;
  @Field(() => AddressType, { nullable: true }) shippingAddress!: AddressType | null;
  @Field(() => OrderTotalsType) totals!: OrderTotalsType;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) placedAt!: Date | null;

  customerId!: string | null;
  /** The subscription the order starts or renews; Order.subscription reads it (subscription.resolver.ts). */
  subscriptionId!: string | null;
  currency!: string;
  /** The lines when the mapped entity already had them loaded; saves the loader a query. */
  preloadedLines!: OrderLineType[] | null;
  /** Its payments when the caller has just written them (a first confirmCheckout): answered without reading them back. */
  preloadedPayments?: PaymentType[];
}

@ObjectType('OrderConnection')
export class OrderConnectionType {
  @Field(() => [OrderType]) nodes!: OrderType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

export function toPaymentType(payment: PaymentFields): PaymentType {
  return Object.assign(new PaymentType(), {
    id: payment.id,
    kind: payment.kind,
    status: payment.status,
    amount: Money.of(payment.amount, payment.currency),
    checkoutUrl: payment.checkoutUrl,
    clientSecret: payment.clientSecret,
    providerReference: payment.providerReference,
  });
}

export function toOrderLineType(line: OrderLineFields, currency: string): OrderLineType {
  return Object.assign(new OrderLineType(), {
    id: line.id,
    variantId: line.variantId,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unitPrice: Money.of(line.unitPrice, currency),
    discount: Money.of(line.discount, currency),
    total: Money.of(line.total, currency),
  });
}

export function toRefundType(refund: Refund): RefundType {
  return Object.assign(new RefundType(), {
    id: refund.id,
    amount: Money.of(refund.amount, refund.currency),
    status: refund.status,
    reason: refund.reason,
    providerRefundId: refund.providerRefundId,
    createdAt: refund.createdAt,
  });
}

export function toSellerTransferType(transfer: SellerTransfer): SellerTransferType {
  return Object.assign(new SellerTransferType(), {
    id: transfer.id,
    sellerId: transfer.sellerId,
    amount: Money.of(transfer.amount, transfer.currency),
    status: transfer.status,
    stripeTransferId: transfer.stripeTransferId,
    stripeReversalId: transfer.stripeReversalId,
    retryCount: transfer.retryCount,
    nextRetryAt: transfer.nextRetryAt,
  });
}

function toOrderTotals(order: OrderFields): OrderTotalsType {
  const money = (amount: number) => Money.of(amount, order.currency);
  return Object.assign(new OrderTotalsType(), {
    subtotal: money(order.subtotal),
    discount: money(order.discount),
    shipping: money(order.shipping),
    shippingDiscount: money(order.shippingDiscount),
    tax: money(order.tax),
    total: money(order.total),
    creditApplied: money(order.creditApplied),
    amountDue: money(order.amountDue),
    refunded: money(order.refunded),
  });
}

/** Maps an order entity; works whether or not its lines collection was loaded. */
export function toOrderType(order: Order): OrderType {
  return orderTypeOf(order, order.lines.isInitialized() ? order.lines.getItems() : null);
}

/** Maps an order's columns, with its lines when the caller has them (they then cost the loader nothing). */
export function orderTypeOf(order: OrderFields, lines: readonly OrderLineFields[] | null): OrderType {
  const preloadedLines = lines ? lines.map((line) => toOrderLineType(line, order.currency)) : null;
  return Object.assign(new OrderType(), {
    id: order.id,
    number: order.number,
    status: order.status,
    email: order.email,
    customerId: order.customerId,
    subscriptionId: order.subscriptionId ?? null,
    currency: order.currency,
    voucherCodes: [...order.voucherCodes],
    shippingMethodId: order.shippingMethodId,
    shippingMethodName: order.shippingMethodName,
    shippingAddress: order.shippingAddress ? AddressType.from(order.shippingAddress) : null,
    totals: toOrderTotals(order),
    createdAt: order.createdAt,
    placedAt: order.placedAt,
    preloadedLines,
  });
}

export function toOrderConnection(page: OrderPage): OrderConnectionType {
  return Object.assign(new OrderConnectionType(), {
    nodes: page.orders.map(toOrderType),
    pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
  });
}
