import { Cart, Order, Payment, Reservation, VoucherKind, VoucherRedemption, type Variant, type Voucher } from '../../../src/entities';
import { creditBalance } from '../../support/credit-balance';
import type { SagaFaults } from '../../../src/services/saga/saga-types';
import { buildVoucher } from '../../factories/catalog.factory';
import { buildReadyCart, CONFIRM_CHECKOUT, grantTestCredit, type ReadyCart } from '../../factories/checkout.factory';
import { usePaymentsApp, type PaymentsApp } from '../../support/payments-app';
import type { TestStripe } from '../../support/stripe';
import type { TestApp } from '../../support/test-app';

export const CONFIRM_WITH_PAYMENT = CONFIRM_CHECKOUT.replace(
  'payment { id kind status amount { amount currency } }',
  'payment { id kind status checkoutUrl clientSecret providerReference amount { amount currency } }',
);

export interface PaymentsHarness extends PaymentsApp {
  readonly faults: SagaFaults;
}

/** One app + emulator per test file (manual webhooks, saga faults); tables, emulator state and faults are reset before each test. */
export function usePaymentsHarness(extraEnv: Record<string, string> = {}): PaymentsHarness {
  const faults: SagaFaults = {};
  const payments = usePaymentsApp({ env: extraEnv, start: { checkout: { faults } }, webhooks: 'manual' });
  beforeEach(() => {
    faults.beforeStep = undefined;
  });
  return {
    get app() {
      return payments.app;
    },
    get stripe() {
      return payments.stripe;
    },
    faults,
  };
}

export interface CardCheckout {
  voucher: Voucher;
  ready: ReadyCart;
  input: { cartId: string; versionKey: string };
}

/** A guest cart (one 3,000 line, 500 shipping) with a one-use 500-off voucher. */
export async function arrangeCheckout(app: TestApp, stock = 3): Promise<CardCheckout> {
  const em = app.orm.em.fork();
  const voucher = await buildVoucher(em, { kind: VoucherKind.AMOUNT_OFF, value: 500, maxRedemptions: 1 });
  const ready = await buildReadyCart(app.orm.em.fork(), { lines: [{ price: 3_000, stock, quantity: 1 }], vouchers: [voucher] });
  return { voucher, ready, input: { cartId: ready.cart.id, versionKey: ready.versionKey } };
}

/** A signed-in customer's cart like arrangeCheckout's, with `credit` store credit granted (spent with useCredit). */
export async function arrangeCustomerCheckout(
  app: TestApp,
  options: { credit: number; stock?: number },
): Promise<CardCheckout & { customer: { id: string; token: string } }> {
  const customer = await app.customer();
  await grantTestCredit(app.orm.em.fork(), customer.id, options.credit);
  const voucher = await buildVoucher(app.orm.em.fork(), { kind: VoucherKind.AMOUNT_OFF, value: 500, maxRedemptions: 1 });
  const ready = await buildReadyCart(app.orm.em.fork(), {
    customerId: customer.id,
    lines: [{ price: 3_000, stock: options.stock ?? 3, quantity: 1 }],
    vouchers: [voucher],
  });
  return { voucher, ready, customer, input: { cartId: ready.cart.id, versionKey: ready.versionKey } };
}

export const creditOf = (app: TestApp, customerId: string): Promise<number> => creditBalance(app.orm.em.fork(), customerId, 'EUR');

/** Another guest buys `quantity` units of the variant with cash on delivery (placed at once, stock taken). */
export async function anotherBuyerTakes(app: TestApp, variant: Variant, quantity: number): Promise<void> {
  const other = await buildReadyCart(app.orm.em.fork(), { variants: [{ variant, quantity }] });
  const answer = await confirm(app, { cartId: other.cart.id, versionKey: other.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
  if (answer.order?.status !== 'PLACED') throw new Error(`the other buyer's order was not placed: ${JSON.stringify(answer)}`);
}

export async function confirm(app: TestApp, input: Record<string, unknown>, token?: string) {
  const response = await app.gql(CONFIRM_WITH_PAYMENT, { input }, { token });
  if (response.errors?.length) throw new Error(`confirmCheckout answered a GraphQL error: ${JSON.stringify(response.errors)}`);
  return response.data.confirmCheckout;
}

export async function stateOf(app: TestApp, cartId: string) {
  const em = app.orm.em.fork();
  const orders = await em.find(Order, { cartId }, { orderBy: { createdAt: 'asc' } });
  const payments = await em.find(Payment, { orderId: { $in: orders.map((o) => o.id) } });
  const redemptions = await em.find(VoucherRedemption, { orderId: { $in: orders.map((o) => o.id) } });
  const cart = await em.findOneOrFail(Cart, { id: cartId });
  const reservations = await em.find(Reservation, { cartId }, { orderBy: { createdAt: 'asc' } });
  return { orders, payments, redemptions, cart, reservations };
}

/** Writes to Stripe in the emulator's log, with how they were keyed. */
export function stripeWrites(stripe: TestStripe, path?: string) {
  return stripe.emulator.requests.filter((r) => r.method === 'POST' && (path === undefined || r.path === path));
}
