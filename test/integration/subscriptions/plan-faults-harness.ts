import {
  CreditLedgerEntry,
  Customer,
  Order,
  OrderStatus,
  OutboxEvent,
  Payment,
  PaymentMethodKind,
  RedemptionStatus,
  ReservationStatus,
  SagaExecution,
  SagaStatus,
  Subscription,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
  Voucher,
  VoucherKind,
  VoucherRedemption,
  type Variant,
} from '../../../src/entities';
import type { CheckoutPayments } from '../../../src/services/payments/payment-port';
import { SimulatedCrash } from '../../../src/services/saga/saga-types';
import { buildVoucher } from '../../factories/catalog.factory';
import { grantTestCredit } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import type { TestApp } from '../../support/test-app';
import type { TestStripe } from '../../support/stripe';
import { creditOf, stateOf, stripeWrites } from '../payments/payments-harness';
import { periodsOf, planCart, subscriptionsOf } from './plan-checkout-harness';

export const PLAN_PRICE = 2_000;
export const VOUCHER_OFF = 500;
export const CREDIT = 700;
/** What the card is asked for once the voucher and the credit took their part. */
export const CARD_AMOUNT = PLAN_PRICE - VOUCHER_OFF - CREDIT;

export interface PlanCheckout {
  plan: Variant;
  voucher: Voucher;
  buyer: { id: string; token: string; email: string };
  cartId: string;
  /** confirmCheckout's input over GraphQL: card, the voucher applied, the credit used. */
  input: Record<string, unknown>;
  /** The same checkout for the saga called directly. */
  command: { cartId: string; versionKey: string; paymentMethod: PaymentMethodKind; stripePaymentMethodId: string; useCredit: boolean };
  actor: { customerId: string; isAdmin: boolean };
}

/** A signed-in customer's cart holding one plan with a one-use voucher applied, and store credit to spend on it: every compensation has something to give back. */
export async function arrangePlanCheckout(app: TestApp): Promise<PlanCheckout> {
  const em = () => app.orm.em.fork();
  const plan = await buildPlan(em(), { price: PLAN_PRICE });
  const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: VOUCHER_OFF, maxRedemptions: 1 });
  const buyer = await app.customer();
  await grantTestCredit(em(), buyer.id, CREDIT);
  const cart = await planCart(app, plan, buyer, voucher.code);
  const command = { ...cart, paymentMethod: PaymentMethodKind.CARD, stripePaymentMethodId: 'pm_card_visa', useCredit: true };
  return { plan, voucher, buyer, cartId: cart.cartId, input: { ...command, paymentMethod: 'CARD' }, command, actor: { customerId: buyer.id, isAdmin: false } };
}

/** The same buyer tries again with a new cart (the voucher is theirs again once released). */
export async function retryPlanCheckout(app: TestApp, arranged: PlanCheckout): Promise<Record<string, unknown>> {
  const cart = await planCart(app, arranged.plan, arranged.buyer, arranged.voucher.code);
  return { ...arranged.input, ...cart };
}

/**
 * The failed plan checkout left nothing behind: its subscription
 * INCOMPLETE_EXPIRED and never entitled, the first period VOID, the order
 * CANCELLED (none PENDING_PAYMENT), the voucher released and uncounted, the
 * credit back, no reservation, the cart open, the saga COMPENSATED, nothing
 * charged at Stripe, and no provider customer kept on the buyer.
 */
export async function expectEverythingGivenBack(app: TestApp, stripe: TestStripe, arranged: PlanCheckout): Promise<void> {
  const em = () => app.orm.em.fork();
  const [subscription, ...others] = await subscriptionsOf(app, arranged.buyer.id);
  expect(others).toEqual([]);
  expect(subscription).toMatchObject({ status: SubscriptionStatus.INCOMPLETE_EXPIRED, entitled: false, savedPaymentMethodId: null });
  expect((await periodsOf(app, subscription.id)).map((p) => p.status)).toEqual([SubscriptionPeriodStatus.VOID]);
  const state = await stateOf(app, arranged.cartId);
  expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
  expect(await em().count(Order, { status: OrderStatus.PENDING_PAYMENT })).toBe(0);
  expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.RELEASED]);
  expect((await em().findOneOrFail(Voucher, { id: arranged.voucher.id })).redemptionCount).toBe(0);
  expect(state.reservations.filter((r) => r.status === ReservationStatus.ACTIVE)).toEqual([]);
  expect(state.cart.status).toBe('OPEN');
  expect(await creditOf(app, arranged.buyer.id)).toBe(CREDIT);
  expect((await em().find(SagaExecution, {})).map((s) => s.status)).toEqual([SagaStatus.COMPENSATED]);
  expect(succeededCharges(stripe)).toEqual([]);
  expect((await em().findOneOrFail(Customer, { id: arranged.buyer.id })).stripeCustomerId).toBeNull();
  await assertCheckoutInvariants(app.orm);
}

export const succeededCharges = (stripe: TestStripe) =>
  stripe.emulator.createdObjects('payment_intent').filter((intent: { status: string }) => intent.status === 'succeeded');

/** Stripe Customers the emulator holds for one of our customers (by the id in their metadata). */
export const providerCustomersOf = (stripe: TestStripe, customerId: string) =>
  stripe.emulator.createdObjects('customer').filter((c: { metadata?: Record<string, string> }) => c.metadata?.customer_id === customerId);

/** Every request to create a Stripe Customer, with the key it carried. */
export const customerCreates = (stripe: TestStripe) => stripeWrites(stripe, '/v1/customers');

/** Every row a plan checkout's compensation could touch, in a stable order, for before/after comparisons. */
export async function planCheckoutState(app: TestApp) {
  const em = app.orm.em.fork();
  const byId = { orderBy: { id: 'asc' } } as const;
  return {
    subscriptions: (await em.find(Subscription, {}, byId)).map((s) => [s.id, s.status, s.entitled, s.version]),
    periods: (await em.find(SubscriptionPeriod, {}, byId)).map((p) => [p.id, p.status]),
    vouchers: (await em.find(Voucher, {}, byId)).map((v) => [v.id, v.redemptionCount]),
    redemptions: (await em.find(VoucherRedemption, {}, byId)).map((r) => [r.id, r.status, r.releasedAt?.getTime() ?? null]),
    ledger: (await em.find(CreditLedgerEntry, {}, byId)).map((e) => [e.id, e.amount, e.entryKey]),
    orders: (await em.find(Order, {}, byId)).map((o) => [o.id, o.status, o.cancelReason]),
    payments: (await em.find(Payment, {}, byId)).map((p) => [p.id, p.status]),
    outbox: (await em.find(OutboxEvent, {}, byId)).map((e) => [e.id, e.type, e.aggregateId]),
  };
}

/**
 * The real Stripe port, except that the process dies the moment the payment
 * call is about to leave: the Stripe Customer before it was really created,
 * and no PaymentIntent ever reaches Stripe.
 */
export function diesAsThePaymentLeaves(real: CheckoutPayments): CheckoutPayments {
  return {
    createCustomer: (customerId, email) => real.createCustomer(customerId, email),
    startPayment: () => Promise.reject(new SimulatedCrash('killed after the Stripe Customer, before the payment call')),
    cancelPayment: (providerReference, idempotencyKey) => real.cancelPayment(providerReference, idempotencyKey),
    lookupPayment: (orderId, providerReference) => real.lookupPayment(orderId, providerReference),
  };
}
