import { startTestApp, type TestApp } from '../../support/test-app';

/** GraphQL documents shared by the catalog suites. */
export const PRODUCT_FIELDS = `id name seller { id name } variants { id sku name price { amount currency } available product { id } }`;

export const CREATE_SELLER = `mutation($input: CreateSellerInput!) { createSeller(input: $input) { id name } }`;
export const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;
export const SET_PRICE = `mutation($input: SetVariantPriceInput!) { setVariantPrice(input: $input) { id price { amount currency } available } }`;
export const SET_STOCK = `mutation($input: SetStockInput!) { setStock(input: $input) { id available } }`;
export const CREATE_SHIPPING = `mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { id name price { amount currency } } }`;
export const CREATE_VOUCHER = `mutation($input: CreateVoucherInput!) {
  createVoucher(input: $input) { id code kind value currency maxRedemptions perCustomerLimit timesRedeemed startsAt endsAt minSubtotal }
}`;
export const VOUCHER = `query($code: String!) { voucher(code: $code) { id code kind value currency timesRedeemed } }`;
export const PRODUCTS = `query($first: Int, $after: String) { products(first: $first, after: $after) { nodes { ${PRODUCT_FIELDS} } pageInfo { hasNextPage endCursor } } }`;
export const PRODUCT = `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`;
export const VARIANT = `query($id: ID!) { variant(id: $id) { id sku name price { amount currency } available product { id name } } }`;
export const SHIPPING_METHODS = `query($currency: String!) { shippingMethods(currency: $currency) { id name price { amount currency } } }`;

export const variantInput = (overrides: Record<string, unknown> = {}) => ({
  sku: `SKU-${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
  name: 'Blue',
  price: 2_500,
  currency: 'EUR',
  stock: 5,
  ...overrides,
});

/**
 * One gateway per suite, emptied before each test, with a fresh admin token.
 * Call inside `describe`; read `suite.app` and `suite.admin` inside tests.
 */
export function useAdminSuite(): { app: TestApp; admin: string } {
  const suite = {} as { app: TestApp; admin: string };
  beforeAll(async () => {
    suite.app = await startTestApp();
  });
  beforeEach(async () => {
    await suite.app.reset();
    suite.admin = await suite.app.adminToken();
  });
  afterAll(() => suite.app.close());
  return suite;
}
