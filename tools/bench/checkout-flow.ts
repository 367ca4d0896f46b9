import type { BenchClient } from './graphql-client';

export type BenchPayment = 'cod' | 'card';

export interface FlowFixture {
  /** Every variant buyers may pick from: one product's two variants when hot, else the whole pool. */
  variantPool: string[];
  shippingMethodId: string;
  voucherCode: string;
  currency: string;
  payment: BenchPayment;
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

const CREATE_CART = `mutation($input: CreateCartInput!) { createCart(input: $input) { id } }`;
const ADD_LINE = `mutation($input: AddCartLineInput!) { addCartLine(input: $input) { __typename ... on ErrorResult { errorCode message } } }`;
const APPLY_VOUCHER = `mutation($input: CartVoucherInput!) { applyVoucher(input: $input) { __typename ... on ErrorResult { errorCode message } } }`;
const SET_ADDRESS = `mutation($input: SetShippingAddressInput!) { setShippingAddress(input: $input) { __typename ... on ErrorResult { errorCode message } } }`;
const SET_SHIPPING = `mutation($input: SetShippingMethodInput!) { setShippingMethod(input: $input) { __typename ... on ErrorResult { errorCode message } } }`;
const START = `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { __typename ... on CheckoutPreview { versionKey } ... on ErrorResult { errorCode message } } }`;
const CONFIRM = `mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) { __typename ... on CheckoutConfirmation { order { id status } } ... on ErrorResult { errorCode message } } }`;

function expectType(result: Record<string, { __typename: string }>, field: string, typename: string): void {
  if (result[field].__typename !== typename) throw new Error(`${field} answered ${JSON.stringify(result[field])}`);
}

/** One guest buyer, start to finish, exactly as a storefront would call it. */
export async function runCheckoutFlow(client: BenchClient, fixture: FlowFixture, buyer: number): Promise<FlowTiming> {
  const started = performance.now();
  const { createCart } = await client.request(CREATE_CART, { input: { currency: fixture.currency, email: `bench-${buyer}@example.com` } });
  const cartId = createCart.id as string;
  for (const variantId of pickVariants(fixture.variantPool, buyer)) {
    expectType(await client.request(ADD_LINE, { input: { cartId, variantId, quantity: 1 } }), 'addCartLine', 'Cart');
  }
  expectType(await client.request(APPLY_VOUCHER, { input: { cartId, code: fixture.voucherCode } }), 'applyVoucher', 'Cart');
  const address = { name: 'Bench Buyer', line1: '1 Load Street', city: 'Berlin', postalCode: '10115', country: 'DE' };
  expectType(await client.request(SET_ADDRESS, { input: { cartId, address } }), 'setShippingAddress', 'Cart');
  expectType(await client.request(SET_SHIPPING, { input: { cartId, shippingMethodId: fixture.shippingMethodId } }), 'setShippingMethod', 'Cart');
  const preview = await client.request(START, { input: { cartId } });
  expectType(preview, 'startCheckout', 'CheckoutPreview');
  const confirmStarted = performance.now();
  const payment = fixture.payment === 'card'
    ? { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' }
    : { paymentMethod: 'CASH_ON_DELIVERY' };
  const confirmed = await client.request(CONFIRM, { input: { cartId, versionKey: preview.startCheckout.versionKey, ...payment } });
  expectType(confirmed, 'confirmCheckout', 'CheckoutConfirmation');
  const finished = performance.now();
  return { flowMs: finished - started, confirmMs: finished - confirmStarted };
}

const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { variants { id } } }`;
const CREATE_SHIPPING = `mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { id } }`;
const CREATE_VOUCHER = `mutation($input: CreateVoucherInput!) { createVoucher(input: $input) { id } }`;

/**
 * Catalog for the run: `products` products of two variants each with ample
 * stock, a shipping method, an uncapped voucher. With one product every buyer
 * takes the same two stock rows (the hot-row worst case).
 */
export async function prepareFixture(admin: BenchClient, options: { stock: number; products: number; payment: BenchPayment }): Promise<FlowFixture> {
  const currency = 'EUR';
  const tag = Date.now().toString(36);
  const variantPool: string[] = [];
  for (let product = 0; product < options.products; product++) {
    const { createProduct } = await admin.request(CREATE_PRODUCT, {
      input: {
        name: `Bench product ${product}`,
        variants: [
          { sku: `BENCH-${product}-A-${tag}`, name: 'A', price: 1999 + product, currency, stock: options.stock },
          { sku: `BENCH-${product}-B-${tag}`, name: 'B', price: 4550 + product, currency, stock: options.stock },
        ],
      },
    });
    variantPool.push(...(createProduct.variants as { id: string }[]).map((variant) => variant.id));
  }
  const { createShippingMethod } = await admin.request(CREATE_SHIPPING, { input: { name: 'Bench shipping', price: 495, currency } });
  const voucherCode = `BENCH${tag}`.toUpperCase();
  await admin.request(CREATE_VOUCHER, { input: { code: voucherCode, kind: 'PERCENT_OFF', value: 1000 } });
  return { variantPool, shippingMethodId: createShippingMethod.id, voucherCode, currency, payment: options.payment };
}
