import crypto from 'node:crypto';
import { PaymentMethodKind, PaymentStatus } from '../../../src/entities';
import { PASSWORD_CHECK_WEIGHT } from '../../../src/http/cost-model';
import { buildProduct, buildSeller } from '../../factories/catalog.factory';
import { buildReadyCart, CONFIRM_CHECKOUT, START_CHECKOUT } from '../../factories/checkout.factory';
import { buildOrder } from '../../factories/order.factory';
import { postGraphQL } from '../../support/http-request';
import { startTestApp, type TestApp } from '../../support/test-app';

const MONEY = '{ amount currency }';

/** A storefront's order history page: 50 orders with their lines (each linked to its variant), totals and payments (5,151 rows at most). */
const historyPage = (variant: string) => `query MyOrders {
  me { id email orders(first: 50) {
    nodes { id number status email placedAt createdAt voucherCodes shippingMethodName
      shippingAddress { name line1 city postalCode country }
      totals { subtotal ${MONEY} discount ${MONEY} shipping ${MONEY} shippingDiscount ${MONEY} tax ${MONEY} total ${MONEY} creditApplied ${MONEY} amountDue ${MONEY} refunded ${MONEY} }
      lines { id sku name quantity unitPrice ${MONEY} discount ${MONEY} total ${MONEY} variant { ${variant} } }
      payments { id kind status amount ${MONEY} checkoutUrl } }
    pageInfo { hasNextPage endCursor } } }
}`;
const MY_ORDERS = historyPage('id');

/** The statements that read variant rows (MikroORM quotes the table with " on PostgreSQL and ` on libSQL). */
const VARIANT_READ = /\bfrom\s+["`]variants["`]/i;

/** A catalog page: 100 products with seller, variants, prices and availability (5,200 rows at most). */
const CATALOG_PAGE = `query CatalogPage {
  products(first: 100) {
    nodes { id name seller { id name } variants { id sku name price ${MONEY} available } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** `count` aliased logIn attempts in one operation, each with a wrong password. */
const aliasedLogIns = (count: number): string =>
  `mutation { ${Array.from({ length: count }, (_, i) => `a${i}: logIn(input: { email: "nobody-${i}@example.com", password: "wrong-password-${i}" }) { __typename }`).join(' ')} }`;

describe('the cost budget counts work per HTTP request', () => {
  let app: TestApp;
  // Every password check is one scrypt derivation (src/services/auth/passwords.ts).
  let scrypt: jest.SpiedFunction<typeof crypto.scrypt>;
  let statements: string[] = [];
  beforeAll(async () => {
    app = await startTestApp({}, { onQuery: (sql) => statements.push(sql) });
  });
  beforeEach(async () => {
    await app.reset();
    scrypt = jest.spyOn(crypto, 'scrypt');
  });
  afterEach(() => scrypt.mockRestore());
  afterAll(() => app.close());

  it('when a customer reads a page of 50 orders whose lines link to their variant, with totals and payments, then the default budget admits it and no variant is read', async () => {
    const customer = await app.customer();
    const { variants } = await buildProduct(app.orm.em.fork(), {
      variants: [
        { price: 1_500, currency: 'EUR', stock: 10 },
        { price: 700, currency: 'EUR', stock: 10 },
      ],
    });
    for (let i = 0; i < 3; i++) {
      await buildOrder(app.orm.em.fork(), {
        customerId: customer.id,
        lines: variants.map((variant) => ({ variant, quantity: 2 })),
        payments: [{ kind: PaymentMethodKind.CASH_ON_DELIVERY, status: PaymentStatus.PENDING }],
      });
    }

    statements = [];
    const page = await app.gql(MY_ORDERS, {}, { token: customer.token });

    expect(page.errors).toBeUndefined();
    expect(page.data.me.orders.nodes).toHaveLength(3);
    const [order] = page.data.me.orders.nodes;
    expect(order.lines.map((line: { variant: { id: string } }) => line.variant)).toEqual(variants.map((variant) => ({ id: variant.id })));
    expect(order.payments).toEqual([expect.objectContaining({ kind: 'CASH_ON_DELIVERY' })]);
    expect(order.totals.subtotal).toEqual({ amount: 2 * (1_500 + 700), currency: 'EUR' });
    // The line holds its variant's id: nothing reads the variants for it.
    expect(statements.filter((sql) => VARIANT_READ.test(sql))).toEqual([]);

    // The control: asked for more than the id, the variants of every line are read, in one statement.
    statements = [];
    const detailed = await app.gql(historyPage('id sku'), {}, { token: customer.token });
    expect(detailed.errors).toBeUndefined();
    expect(detailed.data.me.orders.nodes[0].lines[0].variant).toEqual({ id: variants[0].id, sku: variants[0].sku });
    expect(statements.filter((sql) => VARIANT_READ.test(sql))).toHaveLength(1);
  });

  it('when a storefront reads a catalog page of 100 products with variants, prices and availability, then the default budget admits it', async () => {
    const seller = await buildSeller(app.orm.em.fork());
    await buildProduct(app.orm.em.fork(), { seller, variants: [{ price: 1_000, currency: 'EUR', stock: 3 }] });

    const page = await app.gql(CATALOG_PAGE);

    expect(page.errors).toBeUndefined();
    expect(page.data.products.nodes).toEqual([
      expect.objectContaining({
        seller: { id: seller.id, name: seller.name },
        variants: [expect.objectContaining({ price: { amount: 1_000, currency: 'EUR' }, available: 3 })],
      }),
    ]);
  });

  it('when a guest runs the full checkout documents (startCheckout, then confirmCheckout), then the default budget admits both', async () => {
    const { cart } = await buildReadyCart(app.orm.em.fork());

    const preview = await app.gql(START_CHECKOUT, { input: { cartId: cart.id } });
    expect(preview.errors).toBeUndefined();
    expect(preview.data.startCheckout.__typename).toBe('CheckoutPreview');

    const confirmed = await app.gql(CONFIRM_CHECKOUT, {
      input: { cartId: cart.id, versionKey: preview.data.startCheckout.versionKey, paymentMethod: 'CASH_ON_DELIVERY' },
    });
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data.confirmCheckout).toMatchObject({
      __typename: 'CheckoutConfirmation',
      order: { status: 'PLACED' },
      payment: { kind: 'CASH_ON_DELIVERY' },
    });
  });

  it('when one request batches two pages that each fit, then their costs add up and the request is refused with its cost and the budget', async () => {
    const batch = await postGraphQL(app, [{ query: MY_ORDERS }, { query: CATALOG_PAGE }]);

    expect(batch.status).toBe(400);
    // me 1 + 50 x (order 1 + lines 100 (their variants' ids with them) + payments 2), plus 100 x (product 1 + variants 50) + 1 read of the sellers
    expect(batch.body.errors).toEqual([
      {
        message:
          'The operations of this request together cost 10252, counted in rows they could load; the budget is 10000. Send fewer operations or aliases per request.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10_000, actual: 5_151 + 5_101 },
      },
    ]);
  });

  it('when 20 batched operations each hold 50 aliased logIns, then the request is refused before any password is hashed', async () => {
    const batch = await postGraphQL(
      app,
      Array.from({ length: 20 }, () => ({ query: aliasedLogIns(50) })),
    );

    expect(batch.status).toBe(400);
    expect(batch.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10_000, actual: 20 * 50 * PASSWORD_CHECK_WEIGHT } }),
    ]);
    expect(scrypt).not.toHaveBeenCalled();
  });

  it('when each batched operation fits the budget alone (4 logIns) but 20 of them do not, then nothing runs and no password is hashed', async () => {
    const alone = 4 * PASSWORD_CHECK_WEIGHT;
    expect(alone).toBeLessThanOrEqual(app.config.maxQueryCost);

    const batch = await postGraphQL(
      app,
      Array.from({ length: 20 }, () => ({ query: aliasedLogIns(4) })),
    );

    expect(batch.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10_000, actual: 20 * alone } }),
    ]);
    expect(scrypt).not.toHaveBeenCalled();
  });

  it('when a batch sends persisted-query hashes alone, then the documents registered before are counted by the hash the server computed', async () => {
    const query = aliasedLogIns(4);
    const sha256Hash = crypto.createHash('sha256').update(query).digest('hex');
    const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash } } };
    const registered = await postGraphQL(app, { query, ...persisted });
    expect(registered.body.data.a0).toEqual({ __typename: 'UserError' });
    // The control: the spy sees the password checks that do run.
    expect(scrypt).toHaveBeenCalledTimes(4);
    scrypt.mockClear();

    const batch = await postGraphQL(
      app,
      Array.from({ length: 3 }, () => persisted),
    );

    expect(batch.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10_000, actual: 3 * 4 * PASSWORD_CHECK_WEIGHT } }),
    ]);
    expect(scrypt).not.toHaveBeenCalled();
  });
});
