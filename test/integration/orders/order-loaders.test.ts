import { PaymentMethodKind, PaymentStatus, TransferStatus } from '../../../src/entities';
import { buildProduct, buildSeller } from '../../factories/catalog.factory';
import { buildOrder } from '../../factories/order.factory';
import { startTestApp, type TestApp } from '../../support/test-app';

const ADMIN_ORDERS_DEEP = `query($first: Int) {
  orders(first: $first) {
    nodes {
      id number
      customer { id email }
      lines { sku quantity variant { id sku price { amount } } }
      payments { id kind status amount { amount } }
      refunds { id }
      sellerTransfers { id seller { id name } }
    }
    pageInfo { hasNextPage }
  }
}`;

describe('order loaders', () => {
  let app: TestApp;
  let statements: string[] = [];
  beforeAll(async () => {
    // A 20-order page with every relation costs ~8.7k units, above the 5k default budget.
    app = await startTestApp({ MAX_QUERY_COST: '50000' }, { onQuery: (sql) => statements.push(sql) });
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  /** Statements one request runs (token from an earlier request, so sign-in is not counted; see the warm-up below). */
  async function countStatements(first: number, token: string) {
    statements = [];
    const result = await app.gql(ADMIN_ORDERS_DEEP, { first }, { token });
    return { result, count: statements.length };
  }

  it('when a page of orders with lines, variants, payments and sellers is read, then the statement count does not grow with the page', async () => {
    const em = app.orm.em.fork();
    const seller = await buildSeller(em);
    const { variants } = await buildProduct(em, { seller, variants: [1, 2, 3].map((n) => ({ price: n * 100, currency: 'EUR', stock: 50 })) });
    const customers = await Promise.all([app.customer(), app.customer(), app.customer()]);
    for (let i = 0; i < 20; i++) {
      await buildOrder(app.orm.em.fork(), {
        customerId: customers[i % 3].id,
        createdAt: new Date(Date.now() - (20 - i) * 1_000),
        lines: variants.map((variant) => ({ variant, quantity: 1 + (i % 2) })),
        payments: [
          { kind: PaymentMethodKind.CASH_ON_DELIVERY, status: PaymentStatus.PENDING },
          { kind: PaymentMethodKind.STORE_CREDIT, status: PaymentStatus.CAPTURED, amount: 10 },
        ],
        sellerTransfers: [{ seller, amount: 100, status: TransferStatus.PENDING }],
      });
    }
    const admin = await app.adminToken();
    // The first request with a token reads the admin's token version and role; later ones find them in the access cache.
    await countStatements(1, admin);

    const small = await countStatements(2, admin);
    const large = await countStatements(20, admin);

    expect(large.result.errors).toBeUndefined();
    const nodes = large.result.data.orders.nodes;
    expect(nodes).toHaveLength(20);
    expect(nodes.every((node: { lines: unknown[] }) => node.lines.length === 3)).toBe(true);
    expect(nodes.every((node: { payments: unknown[] }) => node.payments.length === 2)).toBe(true);
    expect(nodes[0].sellerTransfers[0].seller.id).toBe(seller.id);
    expect(new Set(nodes.map((node: { customer: { id: string } }) => node.customer.id))).toEqual(new Set(customers.map((c) => c.id)));
    // orders, lines, variants, customers, payments, refunds, transfers, sellers: one statement each;
    // the admin's token version and role come from the access cache (issue 22).
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(8);
    console.log(`order page of 20 x 3 lines with all relations: ${large.count} SQL statements`);
  });
});
