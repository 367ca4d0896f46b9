import type { EntityManager } from '../../src/db/orm';
import {
  Order,
  OrderLine,
  OrderStatus,
  Payment,
  PaymentMethodKind,
  PaymentStatus,
  Refund,
  RefundStatus,
  SellerTransfer,
  TransferStatus,
  type AddressValue,
  type Seller,
  type Variant,
} from '../../src/entities';
import { buildProduct } from './catalog.factory';

/**
 * Orders written straight through the EntityManager, so order queries, loaders
 * and the outbox can be tested without the checkout saga. Totals are computed
 * from the lines, so every built order is internally consistent.
 */
let sequence = 0;
const nextNumber = (): string => `T${process.pid}-${++sequence}-${Math.random().toString(36).slice(2, 7)}`.toUpperCase();

export interface OrderLineSpec {
  variant: Variant;
  quantity?: number;
  /** Defaults to the variant's price. */
  unitPrice?: number;
  discount?: number;
  sellerId?: string | null;
}

export interface PaymentSpec {
  kind?: PaymentMethodKind;
  status?: PaymentStatus;
  /** Defaults to the order's amountDue. */
  amount?: number;
  providerReference?: string | null;
}

export interface RefundSpec {
  amount: number;
  status?: RefundStatus;
  reason?: string;
}

export interface TransferSpec {
  seller: Seller;
  amount: number;
  status?: TransferStatus;
}

export interface OrderOverrides {
  customerId?: string | null;
  email?: string;
  status?: OrderStatus;
  currency?: string;
  createdAt?: Date;
  placedAt?: Date | null;
  /** Default: one line of a fresh product. */
  lines?: OrderLineSpec[];
  shipping?: number;
  creditApplied?: number;
  voucherCodes?: string[];
  shippingAddress?: AddressValue | null;
  /** Default: one cash-on-delivery payment for the amount due; [] for none. */
  payments?: PaymentSpec[];
  refunds?: RefundSpec[];
  sellerTransfers?: TransferSpec[];
}

export async function buildOrder(em: EntityManager, overrides: OrderOverrides = {}): Promise<Order> {
  const currency = overrides.currency ?? 'EUR';
  const lineSpecs = overrides.lines ?? [{ variant: (await buildProduct(em, { variants: [{ price: 1_250, currency, stock: 10 }] })).variants[0] }];
  const status = overrides.status ?? OrderStatus.PLACED;
  const createdAt = overrides.createdAt ?? new Date();
  const order = em.create(Order, {
    number: nextNumber(),
    status,
    email: overrides.email ?? `buyer-${sequence}@example.com`,
    customerId: overrides.customerId ?? null,
    paymentKind: PaymentMethodKind.CASH_ON_DELIVERY,
    currency,
    voucherCodes: overrides.voucherCodes ?? [],
    shippingMethodName: 'Standard',
    shippingAddress: overrides.shippingAddress ?? { name: 'Ada Buyer', line1: '1 Main St', city: 'Lisbon', postalCode: '1000-001', country: 'PT' },
    createdAt,
    placedAt: overrides.placedAt !== undefined ? overrides.placedAt : status === OrderStatus.PENDING_PAYMENT ? null : createdAt,
  });
  lineSpecs.forEach((spec, position) => {
    const quantity = spec.quantity ?? 1;
    const unitPrice = spec.unitPrice ?? spec.variant.price;
    const discount = spec.discount ?? 0;
    const line = em.create(OrderLine, {
      order,
      position,
      variantId: spec.variant.id,
      sellerId: spec.sellerId ?? null,
      sku: spec.variant.sku,
      name: spec.variant.name,
      quantity,
      unitPrice,
      discount,
      total: quantity * unitPrice - discount,
      tax: 0,
    });
    order.lines.add(line);
  });
  const lines = order.lines.getItems();
  order.subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  order.discount = lines.reduce((sum, line) => sum + line.discount, 0);
  order.shipping = overrides.shipping ?? 500;
  order.total = order.subtotal - order.discount + order.shipping;
  order.creditApplied = overrides.creditApplied ?? 0;
  order.amountDue = order.total - order.creditApplied;
  order.refunded = (overrides.refunds ?? []).filter((r) => r.status === RefundStatus.SUCCEEDED).reduce((sum, r) => sum + r.amount, 0);

  for (const spec of overrides.payments ?? [{}]) {
    em.create(Payment, {
      orderId: order.id,
      kind: spec.kind ?? PaymentMethodKind.CASH_ON_DELIVERY,
      status: spec.status ?? PaymentStatus.PENDING,
      amount: spec.amount ?? order.amountDue,
      currency,
      providerReference: spec.providerReference ?? null,
      createdAt,
    });
  }
  for (const spec of overrides.refunds ?? []) {
    em.create(Refund, {
      orderId: order.id,
      idempotencyKey: `refund-${order.number}-${Math.random().toString(36).slice(2, 10)}`,
      amount: spec.amount,
      currency,
      status: spec.status ?? RefundStatus.PENDING,
      reason: spec.reason ?? 'requested_by_customer',
    });
  }
  for (const spec of overrides.sellerTransfers ?? []) {
    em.create(SellerTransfer, { orderId: order.id, sellerId: spec.seller.id, amount: spec.amount, currency, status: spec.status ?? TransferStatus.PENDING });
  }
  await em.flush();
  return order;
}
