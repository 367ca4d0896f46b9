import { OutboxEvent, Product, Seller, ShippingMethod, StockLevel, Variant, Voucher, Warehouse } from '../../../src/entities';
import { buildProduct } from '../../factories/catalog.factory';
import type { GraphQLResponse, TestApp } from '../../support/test-app';
import { CREATE_PRODUCT, CREATE_SELLER, CREATE_SHIPPING, CREATE_VOUCHER, SET_PRICE, SET_STOCK, useAdminSuite, variantInput } from './catalog-operations';

const HUGE = 'x'.repeat(100 * 1024);
const MALFORMED_ID = "1'; drop table variants; --";

/** Row counts of every catalog table plus the outbox: a refused write must leave them all unchanged. */
async function catalogRowCounts(app: TestApp): Promise<number[]> {
  const em = app.orm.em.fork();
  const tables = [Seller, Product, Variant, StockLevel, Warehouse, ShippingMethod, Voucher, OutboxEvent];
  return Promise.all(tables.map((entity) => em.count(entity, {})));
}

function expectCleanRefusal(result: GraphQLResponse, code: string): void {
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0].extensions?.code).toBe(code);
  expect(result.errors![0].message).not.toMatch(/internal/i);
}

describe('catalog admin: bad input and access', () => {
  const suite = useAdminSuite();
  let variantId: string;
  beforeEach(async () => {
    variantId = (await buildProduct(suite.app.orm.em.fork())).variants[0].id;
  });

  const cases: [string, string, Record<string, unknown>][] = [
    ['a 100 KB product name', CREATE_PRODUCT, { input: { name: HUGE, variants: [variantInput()] } }],
    ['a 100 KB sku', CREATE_PRODUCT, { input: { name: 'P', variants: [variantInput({ sku: HUGE })] } }],
    ['a 100 KB variant name', CREATE_PRODUCT, { input: { name: 'P', variants: [variantInput({ name: HUGE })] } }],
    ['a blank product name', CREATE_PRODUCT, { input: { name: '   ', variants: [variantInput()] } }],
    ['no variants', CREATE_PRODUCT, { input: { name: 'P', variants: [] } }],
    ['negative initial stock', CREATE_PRODUCT, { input: { name: 'P', variants: [variantInput({ stock: -1 })] } }],
    ['a negative price', CREATE_PRODUCT, { input: { name: 'P', variants: [variantInput({ price: -5 })] } }],
    ['a two-letter currency', CREATE_PRODUCT, { input: { name: 'P', variants: [variantInput({ currency: 'EU' })] } }],
    ['a 100 KB seller id', CREATE_PRODUCT, { input: { name: 'P', sellerId: HUGE, variants: [variantInput()] } }],
    ['a malformed seller id', CREATE_PRODUCT, { input: { name: 'P', sellerId: MALFORMED_ID, variants: [variantInput()] } }],
    ['a 100 KB seller name', CREATE_SELLER, { input: { name: HUGE, stripeAccountId: 'acct_123' } }],
    ['a Stripe account id that is not acct_', CREATE_SELLER, { input: { name: 'S', stripeAccountId: 'cus_123' } }],
    ['a 100 KB voucher code', CREATE_VOUCHER, { input: { code: HUGE, kind: 'PERCENT_OFF', value: 100 } }],
    ['a 100 KB shipping name', CREATE_SHIPPING, { input: { name: HUGE, price: 100, currency: 'EUR' } }],
    ['a negative shipping price', CREATE_SHIPPING, { input: { name: 'Std', price: -1, currency: 'EUR' } }],
    ['a malformed variant id', SET_PRICE, { input: { variantId: MALFORMED_ID, price: 100 } }],
    ['a negative price change', SET_PRICE, { input: { variantId: '@variant', price: -100 } }],
    ['negative stock', SET_STOCK, { input: { variantId: '@variant', onHand: -3 } }],
    ['a malformed warehouse id', SET_STOCK, { input: { variantId: '@variant', warehouseId: MALFORMED_ID, onHand: 3 } }],
  ];

  it.each(cases)('when an admin sends %s, then BAD_USER_INPUT comes back and nothing is written', async (_case, document, variables) => {
    const before = await catalogRowCounts(suite.app);
    const resolved = JSON.parse(JSON.stringify(variables).replace('"@variant"', JSON.stringify(variantId)));

    const result = await suite.app.gql(document, resolved, { token: suite.admin });

    expectCleanRefusal(result, 'BAD_USER_INPUT');
    expect(['VALIDATION_FAILED', 'NOT_FOUND']).toContain(result.errors![0].extensions?.errorCode);
    expect(await catalogRowCounts(suite.app)).toEqual(before);
  });

  it.each([
    ['a string for a price', SET_PRICE, { input: { variantId: '@variant', price: 'ten' } }],
    ['a float price', SET_PRICE, { input: { variantId: '@variant', price: 10.5 } }],
    ['a price beyond 2^53', SET_PRICE, { input: { variantId: '@variant', price: 2 ** 53 + 2 } }],
    ['stock beyond 32 bits', SET_STOCK, { input: { variantId: '@variant', onHand: 2 ** 40 } }],
    ['an unknown voucher kind', CREATE_VOUCHER, { input: { code: 'K', kind: 'HALF_OFF', value: 1 } }],
    ['a date that is not a date', CREATE_VOUCHER, { input: { code: 'K', kind: 'FREE_SHIPPING', value: 0, startsAt: 'tomorrow' } }],
    ['a missing required field', CREATE_SHIPPING, { input: { name: 'Std', currency: 'EUR' } }],
  ] as [string, string, Record<string, unknown>][])(
    'when an admin sends %s, then the request is refused before any resolver runs',
    async (_case, document, variables) => {
      const before = await catalogRowCounts(suite.app);
      const resolved = JSON.parse(JSON.stringify(variables).replace('"@variant"', JSON.stringify(variantId)));

      const result = await suite.app.gql(document, resolved, { token: suite.admin });

      expect(result.data ?? null).toBeNull();
      expect(result.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await catalogRowCounts(suite.app)).toEqual(before);
    },
  );

  it('when a nested variant is invalid, then the error names the nested field', async () => {
    const result = await suite.app.gql(
      CREATE_PRODUCT,
      { input: { name: 'P', variants: [variantInput(), variantInput({ stock: -1 })] } },
      { token: suite.admin },
    );
    expect(result.errors![0].extensions?.fields).toEqual([{ field: 'variants.1.stock', problems: [expect.stringContaining('less than 0')] }]);
  });

  const adminOperations: [string, string, Record<string, unknown>][] = [
    ['createSeller', CREATE_SELLER, { input: { name: 'S', stripeAccountId: 'acct_1' } }],
    ['createProduct', CREATE_PRODUCT, { input: { name: 'P', variants: [variantInput()] } }],
    ['setVariantPrice', SET_PRICE, { input: { variantId: '@variant', price: 1 } }],
    ['setStock', SET_STOCK, { input: { variantId: '@variant', onHand: 1 } }],
    ['createShippingMethod', CREATE_SHIPPING, { input: { name: 'Std', price: 100, currency: 'EUR' } }],
    ['createVoucher', CREATE_VOUCHER, { input: { code: 'NOPE', kind: 'FREE_SHIPPING', value: 0 } }],
  ];

  it.each(adminOperations)(
    'when a customer calls %s, then FORBIDDEN and nothing is written; anonymous gets UNAUTHENTICATED',
    async (_name, document, variables) => {
      const customer = await suite.app.customer();
      const before = await catalogRowCounts(suite.app);
      const resolved = JSON.parse(JSON.stringify(variables).replace('"@variant"', JSON.stringify(variantId)));

      expectCleanRefusal(await suite.app.gql(document, resolved, { token: customer.token }), 'FORBIDDEN');
      expectCleanRefusal(await suite.app.gql(document, resolved), 'UNAUTHENTICATED');
      expect(await catalogRowCounts(suite.app)).toEqual(before);
    },
  );
});
