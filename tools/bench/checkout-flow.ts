import type { BenchClient } from './graphql-client';

export interface FlowFixture {
  variantIds: [string, string];
  shippingMethodId: string;
  voucherCode: string;
  currency: string;
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
  for (const variantId of fixture.variantIds) {
    expectType(await client.request(ADD_LINE, { input: { cartId, variantId, quantity: 1 } }), 'addCartLine', 'Cart');
  }
  expectType(await client.request(APPLY_VOUCHER, { input: { cartId, code: fixture.voucherCode } }), 'applyVoucher', 'Cart');
  const address = { name: 'Bench Buyer', line1: '1 Load Street', city: 'Berlin', postalCode: '10115', country: 'DE' };
  expectType(await client.request(SET_ADDRESS, { input: { cartId, address } }), 'setShippingAddress', 'Cart');
  expectType(await client.request(SET_SHIPPING, { input: { cartId, shippingMethodId: fixture.shippingMethodId } }), 'setShippingMethod', 'Cart');
  const preview = await client.request(START, { input: { cartId } });
  expectType(preview, 'startCheckout', 'CheckoutPreview');
  const confirmStarted = performance.now();
  const confirmed = await client.request(CONFIRM, {
    input: { cartId, versionKey: preview.startCheckout.versionKey, paymentMethod: 'CASH_ON_DELIVERY' },
  });
  expectType(confirmed, 'confirmCheckout', 'CheckoutConfirmation');
  const finished = performance.now();
  return { flowMs: finished - started, confirmMs: finished - confirmStarted };
}

const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { variants { id } } }`;
const CREATE_SHIPPING = `mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { id } }`;
const CREATE_VOUCHER = `mutation($input: CreateVoucherInput!) { createVoucher(input: $input) { id } }`;

/** Catalog for the run: two variants with ample stock, a shipping method, an uncapped voucher. */
export async function prepareFixture(admin: BenchClient, stock: number): Promise<FlowFixture> {
  const currency = 'EUR';
  const tag = Date.now().toString(36);
  const { createProduct } = await admin.request(CREATE_PRODUCT, {
    input: {
      name: 'Bench product',
      variants: [
        { sku: `BENCH-A-${tag}`, name: 'A', price: 1999, currency, stock },
        { sku: `BENCH-B-${tag}`, name: 'B', price: 4550, currency, stock },
      ],
    },
  });
  const { createShippingMethod } = await admin.request(CREATE_SHIPPING, { input: { name: 'Bench shipping', price: 495, currency } });
  const voucherCode = `BENCH${tag}`.toUpperCase();
  await admin.request(CREATE_VOUCHER, { input: { code: voucherCode, kind: 'PERCENT_OFF', value: 1000 } });
  return {
    variantIds: [createProduct.variants[0].id, createProduct.variants[1].id],
    shippingMethodId: createShippingMethod.id,
    voucherCode,
    currency,
  };
}
