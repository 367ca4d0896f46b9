import type Stripe from 'stripe';
import type { EntityManager } from '../../src/db/orm';
import { CreditLedgerEntry, Order, Payment, PaymentMethodKind, PaymentStatus, RedemptionStatus, VoucherRedemption, type Seller } from '../../src/entities';
import { spendCredit } from '../../src/services/credit/credit-ledger';
import { buildProduct, buildVoucher } from './catalog.factory';
import { buildOrder, type OrderLineSpec } from './order.factory';

/**
 * PLACED orders with money already taken, written straight through the
 * EntityManager so refunds and payouts are testable without the checkout saga.
 * Card orders get a real, succeeded PaymentIntent in the Stripe emulator (via
 * the SDK), so a refund has something to refund.
 */
export interface PaidOrderSpec {
  customerId?: string | null;
  currency?: string;
  lines?: OrderLineSpec[];
  shipping?: number;
  /** Store credit spent on the order (needs customerId): granted, then debited in the ledger. */
  creditApplied?: number;
}

export interface PaidOrder {
  order: Order;
  payment: Payment;
  paymentIntentId: string | null;
}

async function spendGrantedCredit(em: EntityManager, order: Order, amount: number): Promise<void> {
  if (amount <= 0) return;
  if (!order.customerId) throw new Error('creditApplied needs a customerId');
  em.create(CreditLedgerEntry, {
    customerId: order.customerId,
    currency: order.currency,
    amount,
    reason: 'test grant',
    entryKey: `test-grant:${order.id}`,
  });
  await em.flush();
  await spendCredit(em, { customerId: order.customerId, currency: order.currency, amount, orderId: order.id, now: new Date() });
}

/** A PLACED CARD order whose amount due was charged by a real PaymentIntent. */
export async function buildPaidCardOrder(em: EntityManager, stripe: Stripe, spec: PaidOrderSpec = {}): Promise<PaidOrder & { paymentIntentId: string }> {
  const order = await buildOrder(em, { ...spec, payments: [] });
  order.paymentKind = PaymentMethodKind.CARD;
  const intent = await stripe.paymentIntents.create(
    {
      amount: order.amountDue,
      currency: order.currency.toLowerCase(),
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { order_id: order.id },
    },
    { idempotencyKey: order.id },
  );
  const payment = em.create(Payment, {
    orderId: order.id,
    kind: PaymentMethodKind.CARD,
    status: PaymentStatus.CAPTURED,
    amount: order.amountDue,
    captured: order.amountDue,
    currency: order.currency,
    providerReference: intent.id,
    providerPaymentIntentId: intent.id,
  });
  await em.flush();
  await spendGrantedCredit(em, order, spec.creditApplied ?? 0);
  return { order, payment, paymentIntentId: intent.id };
}

/**
 * A PLACED order paid without a card: STORE_CREDIT (all of it from credit) or
 * CASH_ON_DELIVERY with the cash collected (payment CAPTURED).
 */
export async function buildPaidOfflineOrder(
  em: EntityManager,
  kind: PaymentMethodKind.STORE_CREDIT | PaymentMethodKind.CASH_ON_DELIVERY,
  spec: PaidOrderSpec & { customerId: string | null },
): Promise<PaidOrder> {
  const draft = await buildOrder(em, { ...spec, payments: [], creditApplied: 0 });
  const creditApplied = kind === PaymentMethodKind.STORE_CREDIT ? draft.total : (spec.creditApplied ?? 0);
  draft.paymentKind = kind;
  draft.creditApplied = creditApplied;
  draft.amountDue = draft.total - creditApplied;
  const paid = kind === PaymentMethodKind.STORE_CREDIT ? creditApplied : draft.amountDue;
  const payment = em.create(Payment, {
    orderId: draft.id,
    kind,
    status: PaymentStatus.CAPTURED,
    amount: paid,
    captured: paid,
    currency: draft.currency,
  });
  await em.flush();
  await spendGrantedCredit(em, draft, creditApplied);
  return { order: draft, payment, paymentIntentId: null };
}

/** Lines of fresh products, one per seller (null = the platform's own product). */
export async function sellerLines(
  em: EntityManager,
  entries: { seller: Seller | null; price: number; quantity?: number }[],
  currency = 'EUR',
): Promise<OrderLineSpec[]> {
  const lines: OrderLineSpec[] = [];
  for (const entry of entries) {
    const { variants } = await buildProduct(em, { seller: entry.seller, variants: [{ price: entry.price, currency, stock: 100 }] });
    lines.push({ variant: variants[0], quantity: entry.quantity ?? 1, sellerId: entry.seller?.id ?? null });
  }
  return lines;
}

/** A voucher use CONSUMED by the order, as checkout's finalize step leaves it. */
export async function consumeVoucherFor(em: EntityManager, order: Order): Promise<VoucherRedemption> {
  const voucher = await buildVoucher(em, { maxRedemptions: 1, redemptionCount: 1 });
  const redemption = em.create(VoucherRedemption, {
    voucher,
    customerKey: order.customerId ?? `email:${order.email}`,
    slot: 1,
    status: RedemptionStatus.CONSUMED,
    orderId: order.id,
  });
  order.voucherCodes = [voucher.code];
  await em.flush();
  return redemption;
}
