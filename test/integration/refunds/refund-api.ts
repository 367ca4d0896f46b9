import type { TestApp } from '../../support/test-app';

/** GraphQL helpers shared by the refund and payout suites. */
export const REFUND_ORDER = `mutation($input: RefundOrderInput!) {
  refundOrder(input: $input) {
    __typename
    ... on Refund { id status reason providerRefundId amount { amount currency } }
    ... on UserError { errorCode message field }
  }
}`;

export const ORDER_MONEY = `query($id: ID!) {
  order(id: $id) {
    status
    totals { refunded { amount } }
    refunds { id status amount { amount } providerRefundId }
    sellerTransfers { id status amount { amount } stripeTransferId stripeReversalId retryCount nextRetryAt seller { id name } }
  }
}`;

export interface RefundInput {
  orderId: string;
  amount?: number | null;
  reason?: string;
  idempotencyKey: string;
}

export async function refundOrder(app: TestApp, input: RefundInput, token?: string) {
  const result = await app.gql(REFUND_ORDER, { input: { reason: 'requested_by_customer', ...input } }, { token: token ?? (await app.adminToken()) });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.refundOrder;
}

export async function orderMoney(app: TestApp, orderId: string) {
  const result = await app.gql(ORDER_MONEY, { id: orderId }, { token: await app.adminToken() });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.order;
}
