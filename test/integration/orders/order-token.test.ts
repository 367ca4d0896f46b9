import { Refund, RefundStatus, SellerTransfer } from '../../../src/entities';
import { orderIdOfToken } from '../../../src/services/orders/order-tokens';
import { buildSeller } from '../../factories/catalog.factory';
import { buildReadyCart, useCheckoutApp } from '../../factories/checkout.factory';
import type { TestApp } from '../../support/test-app';

const CONFIRM = `mutation($input: ConfirmCheckoutInput!) {
  confirmCheckout(input: $input) {
    __typename
    ... on CheckoutConfirmation { replayed orderToken order { id number } }
    ... on UserError { errorCode message }
  }
}`;

const ORDER_FIELDS = `id number status email totals { total { amount currency } refunded { amount } }
  lines { sku quantity } payments { kind status } customer { id } refunds { id providerRefundId } sellerTransfers { id }`;
const BY_TOKEN = `query($token: String!) { orderByToken(token: $token) { ${ORDER_FIELDS} } }`;
const BY_ID = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

async function confirmCod(app: TestApp, cartId: string, versionKey: string, token?: string) {
  const response = await app.gql(CONFIRM, { input: { cartId, versionKey, paymentMethod: 'CASH_ON_DELIVERY' } }, { token });
  expect(response.errors).toBeUndefined();
  expect(response.data.confirmCheckout.__typename).toBe('CheckoutConfirmation');
  return response.data.confirmCheckout as { replayed: boolean; orderToken: string; order: { id: string; number: string } };
}

async function orderByToken(app: TestApp, token: string, bearer?: string) {
  const response = await app.gql(BY_TOKEN, { token }, { token: bearer });
  expect(response.errors).toBeUndefined();
  return response.data.orderByToken;
}

/** The same token with one bit of its MAC flipped. */
function tampered(token: string): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[bytes.length - 1] ^= 0x01;
  return bytes.toString('base64url');
}

describe('guest orders: orderToken and orderByToken', () => {
  const getApp = useCheckoutApp();
  const em = () => getApp().orm.em.fork();

  it('when a guest confirms, then the token reads that order without signing in, and order(id) still answers null', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_500, stock: 5, quantity: 2 }] });

    const confirmation = await confirmCod(getApp(), ready.cart.id, ready.versionKey);
    const order = await orderByToken(getApp(), confirmation.orderToken);

    expect(order).toMatchObject({
      id: confirmation.order.id,
      number: confirmation.order.number,
      status: 'PLACED',
      email: ready.cart.email,
      lines: [{ sku: ready.variants[0].sku, quantity: 2 }],
      payments: [{ kind: 'CASH_ON_DELIVERY', status: 'PENDING' }],
      customer: null,
    });
    expect(order.totals.total.currency).toBe('EUR');
    expect((await getApp().gql(BY_ID, { id: confirmation.order.id })).data.order).toBeNull();
  });

  it("when another token is presented, then null: a forged MAC, another order's token, a random or malformed string", async () => {
    const first = await buildReadyCart(em());
    const second = await buildReadyCart(em());
    const one = await confirmCod(getApp(), first.cart.id, first.versionKey);
    const other = await confirmCod(getApp(), second.cart.id, second.versionKey);

    expect(await orderByToken(getApp(), tampered(one.orderToken))).toBeNull();
    expect(await orderByToken(getApp(), Buffer.alloc(48, 7).toString('base64url'))).toBeNull();
    expect(await orderByToken(getApp(), one.order.id)).toBeNull();
    expect(await orderByToken(getApp(), '')).toBeNull();
    expect(await orderByToken(getApp(), `${one.orderToken}x`)).toBeNull();
    // Each token opens its own order and only that one.
    expect((await orderByToken(getApp(), other.orderToken)).id).toBe(other.order.id);
    expect(other.orderToken).not.toBe(one.orderToken);
  });

  it('when the token is made, then it carries 256 bits of MAC under the signing key and names its order', async () => {
    const ready = await buildReadyCart(em());
    const { orderToken, order } = await confirmCod(getApp(), ready.cart.id, ready.versionKey);

    expect(orderToken).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(Buffer.from(orderToken, 'base64url').subarray(16)).toHaveLength(32);
    expect(orderIdOfToken(getApp().tillgate.deps.tokens, orderToken)).toBe(order.id);
    // The same order id under another signing key is a different MAC.
    const foreignKey = { mac: () => Buffer.alloc(32) };
    expect(orderIdOfToken(foreignKey, orderToken)).toBeNull();
  });

  it('when the confirm is replayed, then the replay answers the same token, which still reads the order', async () => {
    const ready = await buildReadyCart(em());
    const first = await confirmCod(getApp(), ready.cart.id, ready.versionKey);
    const replay = await confirmCod(getApp(), ready.cart.id, ready.versionKey);

    expect(replay).toMatchObject({ replayed: true, order: { id: first.order.id }, orderToken: first.orderToken });
    expect((await orderByToken(getApp(), replay.orderToken)).id).toBe(first.order.id);
  });

  it("when a customer's order is read by token, then its customer, refunds and seller transfers stay hidden (the owner still sees them)", async () => {
    const buyer = await getApp().customer();
    const ready = await buildReadyCart(em(), { customerId: buyer.id });
    const { orderToken, order } = await confirmCod(getApp(), ready.cart.id, ready.versionKey, buyer.token);
    const seller = await buildSeller(em());
    const writer = em();
    writer.create(Refund, {
      orderId: order.id,
      idempotencyKey: `refund-${order.id}`,
      amount: 100,
      currency: 'EUR',
      status: RefundStatus.SUCCEEDED,
      reason: 'requested_by_customer',
      providerRefundId: 're_test_internal',
    });
    writer.create(SellerTransfer, { orderId: order.id, sellerId: seller.id, amount: 900, currency: 'EUR' });
    await writer.flush();

    const viaToken = await orderByToken(getApp(), orderToken);
    expect(viaToken).toMatchObject({ id: order.id, customer: null, refunds: [], sellerTransfers: [] });
    // Even a signed-in owner asking through the token gets the token's view: the view follows the capability used.
    expect(await orderByToken(getApp(), orderToken, buyer.token)).toMatchObject({ customer: null, refunds: [], sellerTransfers: [] });

    const asAdmin = (await getApp().gql(BY_ID, { id: order.id }, { token: await getApp().adminToken() })).data.order;
    expect(asAdmin).toMatchObject({ customer: { id: buyer.id }, refunds: [{ providerRefundId: 're_test_internal' }] });
    expect(asAdmin.sellerTransfers).toHaveLength(1);
  });
});
