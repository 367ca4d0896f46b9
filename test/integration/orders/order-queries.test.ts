import { OrderStatus, PaymentMethodKind, PaymentStatus, RefundStatus, TransferStatus } from '../../../src/entities';
import { buildProduct, buildSeller } from '../../factories/catalog.factory';
import { buildOrder } from '../../factories/order.factory';
import { startTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app';

const ORDER = `query($id: ID!) {
  order(id: $id) {
    id number status email voucherCodes shippingMethodName createdAt placedAt
    shippingAddress { name city country }
    customer { id email }
    totals { subtotal { amount currency } discount { amount } shipping { amount } total { amount } creditApplied { amount } amountDue { amount } refunded { amount } }
    lines { sku name quantity unitPrice { amount currency } discount { amount } total { amount } variant { id sku price { amount } } }
    payments { kind status amount { amount currency } providerReference }
    refunds { amount { amount } status reason }
    sellerTransfers { amount { amount } status retryCount seller { id name } }
  }
}`;

const MY_ORDERS = `query($first: Int, $after: String) {
  me { orders(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }
}`;

const ADMIN_ORDERS = `query($first: Int, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) { nodes { id status } pageInfo { hasNextPage endCursor } }
}`;

/** Distinct, ordered creation times so "newest first" is observable. */
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('order queries', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const em = () => app.orm.em.fork();

  it('when the owner reads their order, then every field comes from the snapshot and its relations', async () => {
    const buyer = await app.customer();
    const seller = await buildSeller(em(), { name: 'Acme Goods' });
    const { variants } = await buildProduct(em(), {
      variants: [
        { price: 1_000, currency: 'EUR', stock: 5 },
        { price: 250, currency: 'EUR', stock: 5 },
      ],
    });
    const order = await buildOrder(em(), {
      customerId: buyer.id,
      email: buyer.email,
      voucherCodes: ['SPRING'],
      lines: [
        { variant: variants[0], quantity: 2, discount: 300 },
        { variant: variants[1], quantity: 1, unitPrice: 240 },
      ],
      shipping: 450,
      creditApplied: 100,
      payments: [{ kind: PaymentMethodKind.CARD, status: PaymentStatus.CAPTURED, providerReference: 'pi_123' }],
      refunds: [{ amount: 200, status: RefundStatus.SUCCEEDED, reason: 'requested_by_customer' }],
      sellerTransfers: [{ seller, amount: 1_500, status: TransferStatus.COMPLETED }],
    });

    const result = await app.gql(ORDER, { id: order.id }, { token: buyer.token });

    expect(result.errors).toBeUndefined();
    const read = result.data.order;
    expect(read).toMatchObject({
      id: order.id,
      number: order.number,
      status: 'PLACED',
      email: buyer.email,
      voucherCodes: ['SPRING'],
      shippingMethodName: 'Standard',
      shippingAddress: { name: 'Ada Buyer', city: 'Lisbon', country: 'PT' },
      customer: { id: buyer.id, email: buyer.email },
      payments: [{ kind: 'CARD', status: 'CAPTURED', amount: { amount: 2_290, currency: 'EUR' }, providerReference: 'pi_123' }],
      refunds: [{ amount: { amount: 200 }, status: 'SUCCEEDED', reason: 'requested_by_customer' }],
      sellerTransfers: [{ amount: { amount: 1_500 }, status: 'COMPLETED', retryCount: 0, seller: { id: seller.id, name: 'Acme Goods' } }],
    });
    // 2 x 1000 - 300 + 1 x 240 = 1940 merchandise; + 450 shipping = 2390; - 100 credit = 2290 due.
    expect(read.totals).toEqual({
      subtotal: { amount: 2_240, currency: 'EUR' },
      discount: { amount: 300 },
      shipping: { amount: 450 },
      total: { amount: 2_390 },
      creditApplied: { amount: 100 },
      amountDue: { amount: 2_290 },
      refunded: { amount: 200 },
    });
    expect(read.lines).toEqual([
      {
        sku: variants[0].sku,
        name: variants[0].name,
        quantity: 2,
        unitPrice: { amount: 1_000, currency: 'EUR' },
        discount: { amount: 300 },
        total: { amount: 1_700 },
        variant: { id: variants[0].id, sku: variants[0].sku, price: { amount: 1_000 } },
      },
      {
        sku: variants[1].sku,
        name: variants[1].name,
        quantity: 1,
        unitPrice: { amount: 240, currency: 'EUR' },
        discount: { amount: 0 },
        total: { amount: 240 },
        variant: { id: variants[1].id, sku: variants[1].sku, price: { amount: 250 } },
      },
    ]);
    expect(new Date(read.createdAt).getTime()).toBe(order.createdAt.getTime());
  });

  it('when someone other than the owner asks, then the order is null whether or not it exists', async () => {
    const owner = await app.customer();
    const stranger = await app.customer();
    const order = await buildOrder(em(), { customerId: owner.id });

    expect((await app.gql(ORDER, { id: order.id }, { token: stranger.token })).data.order).toBeNull();
    expect((await app.gql(ORDER, { id: order.id })).data.order).toBeNull();
    expect((await app.gql(ORDER, { id: '00000000-0000-4000-8000-000000000000' }, { token: owner.token })).data.order).toBeNull();
    const malformed = await app.gql(ORDER, { id: "1' or '1'='1" }, { token: owner.token });
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data.order).toBeNull();
    expect((await app.gql(ORDER, { id: order.id }, { token: owner.token })).data.order.id).toBe(order.id);
  });

  it('when an order was placed as a guest, then only an admin can read it by id', async () => {
    const customer = await app.customer();
    const guestOrder = await buildOrder(em(), { customerId: null, email: customer.email });

    expect((await app.gql(ORDER, { id: guestOrder.id }, { token: customer.token })).data.order).toBeNull();
    const asAdmin = await app.gql(ORDER, { id: guestOrder.id }, { token: await app.adminToken() });
    expect(asAdmin.data.order).toMatchObject({ id: guestOrder.id, customer: null, email: customer.email });
  });

  it('when a customer pages through their orders, then they get only theirs, newest first, each exactly once', async () => {
    const buyer = await app.customer();
    const other = await app.customer();
    const { variants } = await buildProduct(em());
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await buildOrder(em(), { customerId: buyer.id, createdAt: minutesAgo(10 - i), lines: [{ variant: variants[0] }] }));
    await buildOrder(em(), { customerId: other.id, createdAt: minutesAgo(1), lines: [{ variant: variants[0] }] });

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: GraphQLResponse = await app.gql(MY_ORDERS, { first: 2, after }, { token: buyer.token });
      expect(result.errors).toBeUndefined();
      const connection: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = result.data.me.orders;
      seen.push(...connection.nodes.map((node) => node.id));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }

    expect(pages).toBe(3);
    expect(seen).toEqual(mine.map((order) => order.id).reverse());
  });

  it('when orders share a creation instant, then the id breaks the tie and no page repeats or skips one', async () => {
    const buyer = await app.customer();
    const { variants } = await buildProduct(em());
    const instant = minutesAgo(5);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await buildOrder(em(), { customerId: buyer.id, createdAt: instant, lines: [{ variant: variants[0] }] })).id);

    const first = (await app.gql(MY_ORDERS, { first: 3 }, { token: buyer.token })).data.me.orders;
    const second = (await app.gql(MY_ORDERS, { first: 3, after: first.pageInfo.endCursor }, { token: buyer.token })).data.me.orders;

    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    expect([...first.nodes, ...second.nodes].map((node: { id: string }) => node.id)).toEqual([...ids].sort().reverse());
  });

  it('when first is out of 1..100 or the cursor is forged, then the answer is a clean BAD_USER_INPUT', async () => {
    const buyer = await app.customer();
    for (const first of [0, 101, -5]) {
      const result = await app.gql(MY_ORDERS, { first }, { token: buyer.token });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    for (const after of ['not-a-cursor', Buffer.from('123:not-an-id').toString('base64url'), 'x'.repeat(10_000)]) {
      const result = await app.gql(MY_ORDERS, { first: 5, after }, { token: buyer.token });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const defaulted = await app.gql(MY_ORDERS, { first: null }, { token: buyer.token });
    expect(defaulted.data.me.orders).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("when an admin lists orders by status, then all customers' orders in that status come newest first", async () => {
    const a = await app.customer();
    const b = await app.customer();
    const { variants } = await buildProduct(em());
    const line = [{ variant: variants[0] }];
    const oldPlaced = await buildOrder(em(), { customerId: a.id, status: OrderStatus.PLACED, createdAt: minutesAgo(30), lines: line });
    await buildOrder(em(), { customerId: b.id, status: OrderStatus.CANCELLED, createdAt: minutesAgo(20), lines: line });
    const newPlaced = await buildOrder(em(), { customerId: null, status: OrderStatus.PLACED, createdAt: minutesAgo(10), lines: line });
    const pending = await buildOrder(em(), { customerId: b.id, status: OrderStatus.PENDING_PAYMENT, createdAt: minutesAgo(5), lines: line });
    const admin = await app.adminToken();

    const placed = await app.gql(ADMIN_ORDERS, { status: 'PLACED' }, { token: admin });
    expect(placed.data.orders.nodes).toEqual([
      { id: newPlaced.id, status: 'PLACED' },
      { id: oldPlaced.id, status: 'PLACED' },
    ]);
    const everything = await app.gql(ADMIN_ORDERS, { first: 1 }, { token: admin });
    expect(everything.data.orders.nodes).toEqual([{ id: pending.id, status: 'PENDING_PAYMENT' }]);
    expect(everything.data.orders.pageInfo.hasNextPage).toBe(true);
  });

  it('when a non-admin lists all orders, then it is FORBIDDEN (UNAUTHENTICATED when anonymous)', async () => {
    const buyer = await app.customer();
    expect((await app.gql(ADMIN_ORDERS, {}, { token: buyer.token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(ADMIN_ORDERS, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("when an order's customer is read through it, then their orders list is visible to the admin", async () => {
    const buyer = await app.customer();
    const order = await buildOrder(em(), { customerId: buyer.id });
    const query = `query($id: ID!) { order(id: $id) { customer { orders(first: 5) { nodes { id } } } } }`;
    const result = await app.gql(query, { id: order.id }, { token: await app.adminToken() });
    expect(result.data.order.customer.orders.nodes).toEqual([{ id: order.id }]);
  });
});
