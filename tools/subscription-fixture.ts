import type Stripe from 'stripe';
import type { EntityManager } from '../src/db/orm';
import {
  BillingInterval,
  CreditLedgerEntry,
  Customer,
  Order,
  OrderStatus,
  PaymentMethodKind,
  Product,
  Subscription,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
  Variant,
  VariantKind,
} from '../src/entities';
import { billingPeriod } from '../src/services/subscriptions/billing-time';

let sequence = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`;

export interface SubscriptionSpec {
  /** The plan's price now (what a renewal bills). */
  price?: number;
  interval?: BillingInterval;
  /** Length of a billing day, as the app under test is configured (BILLING_DAY_SECONDS). */
  daySeconds: number;
  /** Where period 0 starts; the default makes period 0 end `endedAgoMs` before `now`. */
  anchor?: Date;
  now?: Date;
  endedAgoMs?: number;
  useCredit?: boolean;
  /** Store credit granted to the customer before the renewal (EUR). */
  credit?: number;
  cancelAtPeriodEnd?: boolean;
  /** With a Stripe SDK on the emulator, a Stripe Customer and a card saved for off-session charges; without, a credit-only plan. */
  stripe?: Stripe;
}

export interface BuiltSubscription {
  subscription: Subscription;
  customer: Customer;
  plan: Variant;
  firstPeriod: SubscriptionPeriod;
}

/**
 * An ACTIVE, entitled subscription written directly (the checkout that starts
 * one is tested elsewhere): a SUBSCRIPTION plan, a customer, its first period
 * PAID with a placed order, and by default a saved card at the emulator.
 */
export async function buildActiveSubscription(em: EntityManager, spec: SubscriptionSpec): Promise<BuiltSubscription> {
  const price = spec.price ?? 1_200;
  const interval = spec.interval ?? BillingInterval.DAY;
  const cycle = { interval, intervalCount: 1 };
  const now = spec.now ?? new Date();
  const dayMs = spec.daySeconds * 1000;
  const anchor = spec.anchor ?? new Date(now.getTime() - dayMs - (spec.endedAgoMs ?? 1000));
  const first = billingPeriod(anchor, cycle, 0, spec.daySeconds);
  const email = `${unique('subscriber')}@example.com`;
  const customer = em.create(Customer, { email, passwordHash: 'not-a-real-hash' });
  const product = em.create(Product, { name: `Plan ${unique('p')}` });
  const plan = em.create(Variant, {
    product,
    sku: unique('plan').toUpperCase(),
    name: 'Monthly',
    price,
    currency: 'EUR',
    kind: VariantKind.SUBSCRIPTION,
    billingInterval: interval,
    billingIntervalCount: 1,
  });
  let stripeCustomerId: string | null = null;
  let savedPaymentMethodId: string | null = null;
  if (spec.stripe) {
    stripeCustomerId = (await spec.stripe.customers.create({ email }, { idempotencyKey: `customer:${customer.id}` })).id;
    const intent = await spec.stripe.paymentIntents.create({
      amount: price,
      currency: 'eur',
      customer: stripeCustomerId,
      payment_method: 'pm_card_visa',
      setup_future_usage: 'off_session',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    savedPaymentMethodId = intent.payment_method as string;
  }
  const subscription = em.create(Subscription, {
    customerId: customer.id,
    planVariantId: plan.id,
    status: SubscriptionStatus.ACTIVE,
    entitled: true,
    billingInterval: interval,
    billingIntervalCount: 1,
    anchor,
    currentPeriodStart: first.start,
    currentPeriodEnd: first.end,
    cancelAtPeriodEnd: spec.cancelAtPeriodEnd ?? false,
    useCredit: spec.useCredit ?? false,
    stripeCustomerId,
    savedPaymentMethodId,
    createdAt: anchor,
  });
  const order = em.create(Order, {
    number: unique('SUB').toUpperCase().slice(0, 32),
    status: OrderStatus.PLACED,
    email,
    customerId: customer.id,
    subscriptionId: subscription.id,
    paymentKind: spec.stripe ? PaymentMethodKind.CARD : PaymentMethodKind.STORE_CREDIT,
    currency: 'EUR',
    subtotal: price,
    total: price,
    amountDue: spec.stripe ? price : 0,
    creditApplied: spec.stripe ? 0 : price,
    createdAt: anchor,
    placedAt: anchor,
  });
  const firstPeriod = em.create(SubscriptionPeriod, {
    subscriptionId: subscription.id,
    periodStart: first.start,
    periodEnd: first.end,
    status: SubscriptionPeriodStatus.PAID,
    orderId: order.id,
    attemptCount: 1,
    paidAt: anchor,
    createdAt: anchor,
  });
  if (spec.credit) {
    em.create(CreditLedgerEntry, {
      customerId: customer.id,
      currency: 'EUR',
      amount: spec.credit,
      reason: 'test grant',
      entryKey: unique('grant'),
      createdAt: anchor,
    });
  }
  await em.flush();
  return { subscription, customer, plan, firstPeriod };
}
