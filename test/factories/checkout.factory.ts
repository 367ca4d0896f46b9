import { Database } from '../../src/db/database';
import type { Orm } from '../../src/db/orm';
import { createStores } from '../../src/db/stores';
import type { EntityManager } from '../../src/db/orm';
import type { StartOptions } from '../../src/app';
import { Cart, Customer, type ShippingMethod, type Variant, type Voucher } from '../../src/entities';
import { ConfirmCheckoutSaga } from '../../src/services/checkout/confirm-checkout.saga';
import type { CheckoutDeps, ConfirmCheckoutOptions } from '../../src/services/checkout/checkout-types';
import type { AppDeps } from '../../src/services/app-deps';
import { appendLedgerEntry } from '../../src/services/credit/credit-ledger';
import { cartVersionKey } from '../../src/services/cart/version-key';
import { NO_PROVIDER } from '../../src/services/payments/payment-port';
import { systemClock } from '../../src/services/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';
import { anAddress, buildCart } from './cart.factory';
import { buildProduct, buildShippingMethod } from './catalog.factory';

export interface ReadyCartSpec {
  customerId?: string | null;
  email?: string | null;
  /** One line per entry: a fresh variant with this price and stock, bought `quantity` times. */
  lines?: { price: number; stock: number; quantity: number }[];
  /** Existing variants to buy instead of fresh ones. */
  variants?: { variant: Variant; quantity: number }[];
  vouchers?: Voucher[];
  shippingPrice?: number;
  shippingMethod?: ShippingMethod;
}

export interface ReadyCart {
  cart: Cart;
  variants: Variant[];
  shippingMethod: ShippingMethod;
  versionKey: string;
}

/** A cart ready to confirm: lines, shipping method, address, buyer, vouchers. */
export async function buildReadyCart(em: EntityManager, spec: ReadyCartSpec = {}): Promise<ReadyCart> {
  let variants: { variant: Variant; quantity: number }[] = spec.variants ?? [];
  if (!spec.variants) {
    const lines = spec.lines ?? [{ price: 2_000, stock: 10, quantity: 1 }];
    const { variants: built } = await buildProduct(em, { variants: lines.map((l) => ({ price: l.price, currency: 'EUR', stock: l.stock })) });
    variants = built.map((variant, index) => ({ variant, quantity: lines[index].quantity }));
  }
  const shippingMethod = spec.shippingMethod ?? (await buildShippingMethod(em, { price: spec.shippingPrice ?? 500 }));
  const cart = await buildCart(em, {
    customerId: spec.customerId ?? null,
    email: spec.customerId ? null : spec.email === undefined ? `guest-${Math.random().toString(36).slice(2)}@example.com` : spec.email,
    lines: variants,
    shippingMethod,
    shippingAddress: anAddress(),
    voucherCodes: (spec.vouchers ?? []).map((v) => v.code),
  });
  return { cart, variants: variants.map((v) => v.variant), shippingMethod, versionKey: await versionKeyOf(em, cart.id) };
}

export async function versionKeyOf(em: EntityManager, cartId: string): Promise<string> {
  const cart = await em.fork().findOneOrFail(Cart, { id: cartId }, { populate: ['lines', 'lines.variant', 'shippingMethod', 'customer'] });
  return cartVersionKey(cart);
}

/** The app's database and its stores, for the dependencies a test puts together itself. */
export const storesOf = (app: Pick<TestApp, 'tillgate'>): Pick<AppDeps, 'db' | 'stores'> => ({ db: app.tillgate.deps.db, stores: app.tillgate.deps.stores });

export function checkoutDeps(app: Pick<TestApp, 'config' | 'tillgate'>, overrides: Partial<CheckoutDeps> = {}): CheckoutDeps {
  return { config: app.config, clock: systemClock, payments: NO_PROVIDER, ...storesOf(app), ...overrides };
}

/** The saga called directly (no HTTP), for failure injection. */
export function directSaga(
  app: Pick<TestApp, 'config' | 'tillgate'>,
  options: ConfirmCheckoutOptions = {},
  deps: Partial<CheckoutDeps> = {},
): ConfirmCheckoutSaga {
  return new ConfirmCheckoutSaga(checkoutDeps(app, deps), options);
}

export async function grantTestCredit(em: EntityManager, customerId: string, amount: number, currency = 'EUR'): Promise<void> {
  await em
    .fork()
    .transactional((tx) =>
      appendLedgerEntry(tx, { customerId, currency, amount, reason: 'test grant', entryKey: `test:${Math.random().toString(36).slice(2)}`, now: new Date() }),
    );
}

export async function availableUnits(orm: Orm, variantId: string): Promise<number> {
  // As text: this read runs beside the app's own connections, behind PgBouncer too, where a named statement cannot live.
  const db = new Database(orm, { preparedStatements: false });
  return (await createStores(db).stock.available(db.unitOfWork(orm.em.fork()), [variantId], new Date())).get(variantId) ?? 0;
}

export const CONFIRM_CHECKOUT = `mutation($input: ConfirmCheckoutInput!) {
  confirmCheckout(input: $input) {
    __typename
    ... on CheckoutConfirmation {
      replayed
      order { id number status email voucherCodes shippingMethodId shippingMethodName
        totals { subtotal { amount } discount { amount } shipping { amount } tax { amount } total { amount } creditApplied { amount } amountDue { amount } } }
      payment { id kind status amount { amount currency } }
    }
    ... on UserError { errorCode message field }
    ... on InsufficientStockError { errorCode shortfalls { variantId requested available } }
    ... on PriceChangedError { errorCode versionKey changes { variantId previous { amount } current { amount } } }
  }
}`;

export const START_CHECKOUT = `mutation($input: StartCheckoutInput!) {
  startCheckout(input: $input) {
    __typename
    ... on CheckoutPreview { versionKey reservationsExpireAt warnings cart { id versionKey totals { total { amount } } } }
    ... on UserError { errorCode message field }
    ... on InsufficientStockError { errorCode shortfalls { variantId requested available } }
  }
}`;

export async function confirmViaApi(app: TestApp, input: Record<string, unknown>, token?: string) {
  const response = await app.gql(CONFIRM_CHECKOUT, { input }, { token });
  if (response.errors?.length) throw new Error(`confirmCheckout answered a GraphQL error: ${JSON.stringify(response.errors)}`);
  return response.data.confirmCheckout;
}

/**
 * One gateway per test file, emptied before each test: returns a getter, so
 * `const app = useCheckoutApp()` then `app()` inside tests.
 */
export function useCheckoutApp(env: Record<string, string> = {}, options: StartOptions = {}): () => TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(env, options);
  });
  beforeEach(() => app!.reset());
  afterAll(() => app?.close());
  return () => app!;
}

/** A customer row written directly (no password hashing): for tests that need many buyers quickly. */
export async function buildCustomer(em: EntityManager): Promise<string> {
  const customer = em.create(Customer, { email: `buyer-${Math.random().toString(36).slice(2)}@example.com`, passwordHash: 'not-a-real-hash' });
  await em.persistAndFlush(customer);
  return customer.id;
}
