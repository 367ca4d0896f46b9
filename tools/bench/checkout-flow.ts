import {
  AddCartLineDocument,
  ApplyVoucherDocument,
  ConfirmCheckoutDocument,
  CreateCartDocument,
  ProductsDocument,
  SetShippingAddressDocument,
  SetShippingMethodDocument,
  SignUpDocument,
  StartCheckoutDocument,
} from '../../client/src';
import type { BenchClient } from './graphql-client';
import type { BenchPayment } from './server';

export type { BenchPayment } from './server';

/**
 * What the bench did to one database, for the correctness check: every variant
 * it created with its initial stock, every voucher code, and how many flows
 * ended with a PLACED order (warm-up and counting passes included).
 */
export interface DatabaseLedger {
  initialStock: Map<string, number>;
  voucherCodes: string[];
  placedFlows: number;
}

export const newLedger = (): DatabaseLedger => ({ initialStock: new Map(), voucherCodes: [], placedFlows: 0 });

export interface FlowFixture {
  /** Every variant buyers may pick from: one product's two variants when hot, else the whole pool. */
  variantPool: string[];
  shippingMethodId: string;
  voucherCode: string;
  currency: string;
  payment: BenchPayment;
  ledger: DatabaseLedger;
}

/** mulberry32: a tiny seeded generator, so buyer N picks the same variants on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two distinct variants from the pool, chosen by the buyer's number. */
export function pickVariants(pool: readonly string[], buyer: number): [string, string] {
  const random = seededRandom(buyer + 1);
  const first = Math.floor(random() * pool.length);
  const second = (first + 1 + Math.floor(random() * (pool.length - 1))) % pool.length;
  return [pool[first], pool[second]];
}

export interface FlowTiming {
  flowMs: number;
  confirmMs: number;
}

/** The eight requests of one checkout, in order; the statement pass reports each. */
export const FLOW_REQUESTS = [
  'createCart',
  'addCartLine (1st line)',
  'addCartLine (2nd line)',
  'applyVoucher',
  'setShippingAddress',
  'setShippingMethod',
  'startCheckout',
  'confirmCheckout',
] as const;
export type FlowRequest = (typeof FLOW_REQUESTS)[number];

/** Wraps every request of a flow; the statement pass reads the counter before and after it. */
export type RequestHook = <T>(request: FlowRequest, send: () => Promise<T>) => Promise<T>;
const unwrapped: RequestHook = (_request, send) => send();

export const BENCH_ADDRESS = { name: 'Bench Buyer', line1: '1 Load Street', city: 'Berlin', postalCode: '10115', country: 'DE' };

export function expectType<T extends object>(result: T, field: keyof T & string, typename: string): void {
  const answer = result[field] as { __typename?: string };
  if (answer.__typename !== typename) throw new Error(`${field} answered ${JSON.stringify(answer)}`);
}

/**
 * Who runs a flow: a guest (no token; each cart names its own email) or a
 * signed-in customer (its token on every request; the cart is its own, with
 * no email), as a storefront's buyers come.
 */
export interface Shopper {
  client: BenchClient;
  signedIn: boolean;
}

export const guest = (client: BenchClient): Shopper => ({ client, signedIn: false });

const BUYER_PASSWORD = 'bench-buyer-password';

/** `count` customers, each signed up once (the password check costs what a real sign-up does), then shopping with its token. */
export async function signUpShoppers(client: BenchClient, count: number, label: string): Promise<Shopper[]> {
  const tag = `${label}-${Date.now().toString(36)}`;
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const { signUp } = await client.run(SignUpDocument, { input: { email: `bench-buyer-${index}-${tag}@example.com`, password: BUYER_PASSWORD } });
      if (signUp.__typename !== 'AuthPayload') throw new Error(`signUp answered ${JSON.stringify(signUp)}`);
      return { client: client.withToken(signUp.token), signedIn: true };
    }),
  );
}

/** A cart with two lines, the voucher and an address: what a small-mutation measurement starts from. */
export async function createFilledCart(shopper: Shopper, fixture: FlowFixture, buyer: number, hook: RequestHook = unwrapped): Promise<string> {
  const { client } = shopper;
  const email = shopper.signedIn ? {} : { email: `bench-${buyer}@example.com` };
  const { createCart } = await hook('createCart', () => client.run(CreateCartDocument, { input: { currency: fixture.currency, ...email } }));
  const cartId = createCart.id;
  const [first, second] = pickVariants(fixture.variantPool, buyer);
  expectType(
    await hook('addCartLine (1st line)', () => client.run(AddCartLineDocument, { input: { cartId, variantId: first, quantity: 1 } })),
    'addCartLine',
    'Cart',
  );
  expectType(
    await hook('addCartLine (2nd line)', () => client.run(AddCartLineDocument, { input: { cartId, variantId: second, quantity: 1 } })),
    'addCartLine',
    'Cart',
  );
  expectType(await hook('applyVoucher', () => client.run(ApplyVoucherDocument, { input: { cartId, code: fixture.voucherCode } })), 'applyVoucher', 'Cart');
  expectType(
    await hook('setShippingAddress', () => client.run(SetShippingAddressDocument, { input: { cartId, address: BENCH_ADDRESS } })),
    'setShippingAddress',
    'Cart',
  );
  return cartId;
}

/**
 * One checkout, start to finish, exactly as a storefront would call it;
 * `buyer` numbers the flow (its variants, a guest's email). Counts the flow in
 * the ledger only once the answer says PLACED, so that the correctness check
 * compares orders with flows that really succeeded.
 */
export async function runCheckoutFlow(shopper: Shopper, fixture: FlowFixture, buyer: number, hook: RequestHook = unwrapped): Promise<FlowTiming> {
  const { client } = shopper;
  const started = performance.now();
  const cartId = await createFilledCart(shopper, fixture, buyer, hook);
  expectType(
    await hook('setShippingMethod', () => client.run(SetShippingMethodDocument, { input: { cartId, shippingMethodId: fixture.shippingMethodId } })),
    'setShippingMethod',
    'Cart',
  );
  const { startCheckout: preview } = await hook('startCheckout', () => client.run(StartCheckoutDocument, { input: { cartId } }));
  if (preview.__typename !== 'CheckoutPreview') throw new Error(`startCheckout answered ${JSON.stringify(preview)}`);
  const confirmStarted = performance.now();
  const payment =
    fixture.payment === 'card' ? { paymentMethod: 'CARD' as const, stripePaymentMethodId: 'pm_card_visa' } : { paymentMethod: 'CASH_ON_DELIVERY' as const };
  const { confirmCheckout: confirmed } = await hook('confirmCheckout', () =>
    client.run(ConfirmCheckoutDocument, { input: { cartId, versionKey: preview.versionKey, ...payment } }),
  );
  if (confirmed.__typename !== 'CheckoutConfirmation') throw new Error(`confirmCheckout answered ${JSON.stringify(confirmed)}`);
  const status = confirmed.order.status;
  if (status !== 'PLACED') throw new Error(`confirmCheckout answered order status ${status}`);
  fixture.ledger.placedFlows++;
  const finished = performance.now();
  return { flowMs: finished - started, confirmMs: finished - confirmStarted };
}

const CREATE_SELLER = `mutation($input: CreateSellerInput!) { createSeller(input: $input) { id } }`;
const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { variants { id } } }`;
const CREATE_SHIPPING = `mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { id } }`;
const CREATE_VOUCHER = `mutation($input: CreateVoucherInput!) { createVoucher(input: $input) { id } }`;

async function createProduct(
  admin: BenchClient,
  ledger: DatabaseLedger,
  input: {
    name: string;
    sellerId?: string;
    variants: { sku: string; name: string; price: number; currency: string; stock: number }[];
  },
): Promise<string[]> {
  const { createProduct: created } = await admin.request(CREATE_PRODUCT, { input });
  const ids = (created.variants as { id: string }[]).map((variant) => variant.id);
  ids.forEach((id, index) => ledger.initialStock.set(id, input.variants[index].stock));
  return ids;
}

export const READ_PAGE_SIZE = 50;

/**
 * The catalog page the read phase asks for: one seller's 50 products of two
 * variants each. Created before the checkout fixture, so that `products(first: 50)`
 * (oldest first) returns exactly these, each with its seller; nobody buys them.
 */
export async function prepareReadCatalog(admin: BenchClient, ledger: DatabaseLedger): Promise<void> {
  const tag = Date.now().toString(36);
  const { createSeller } = await admin.request(CREATE_SELLER, { input: { name: 'Bench seller', stripeAccountId: 'acct_bench' } });
  for (let product = 0; product < READ_PAGE_SIZE; product++) {
    await createProduct(admin, ledger, {
      name: `Catalog product ${product}`,
      sellerId: createSeller.id,
      variants: [
        { sku: `READ-${product}-A-${tag}`, name: 'A', price: 1500 + product, currency: 'EUR', stock: 1000 },
        { sku: `READ-${product}-B-${tag}`, name: 'B', price: 2500 + product, currency: 'EUR', stock: 1000 },
      ],
    });
  }
}

/**
 * Catalog for the checkouts: `products` products of two variants each with ample
 * stock, a shipping method, an uncapped voucher. With one product every buyer
 * takes the same two stock rows (the hot-row worst case).
 */
export async function prepareFixture(
  admin: BenchClient,
  ledger: DatabaseLedger,
  options: { stock: number; products: number; payment: BenchPayment },
): Promise<FlowFixture> {
  const currency = 'EUR';
  const tag = Date.now().toString(36);
  const variantPool: string[] = [];
  for (let product = 0; product < options.products; product++) {
    variantPool.push(
      ...(await createProduct(admin, ledger, {
        name: `Bench product ${product}`,
        variants: [
          { sku: `BENCH-${product}-A-${tag}`, name: 'A', price: 1999 + product, currency, stock: options.stock },
          { sku: `BENCH-${product}-B-${tag}`, name: 'B', price: 4550 + product, currency, stock: options.stock },
        ],
      })),
    );
  }
  const { createShippingMethod } = await admin.request(CREATE_SHIPPING, { input: { name: 'Bench shipping', price: 495, currency } });
  const voucherCode = `BENCH${tag}`.toUpperCase();
  await admin.request(CREATE_VOUCHER, { input: { code: voucherCode, kind: 'PERCENT_OFF', value: 1000 } });
  ledger.voucherCodes.push(voucherCode);
  return { variantPool, shippingMethodId: createShippingMethod.id, voucherCode, currency, payment: options.payment, ledger };
}

/** The catalog read of the read phase: a storefront's product list page (each product with its seller and variants). */
export async function readProductsPage(client: BenchClient): Promise<number> {
  const data = await client.run(ProductsDocument, { first: READ_PAGE_SIZE });
  return data.products.nodes.length;
}
