import { CreditLedgerEntry, Order, OrderStatus, RedemptionStatus, StockLevel, Voucher, VoucherKind, VoucherRedemption } from '../../../src/entities';
import { OutboxEvent } from '../../../src/entities';
import { buildVoucher } from '../../factories/catalog.factory';
import { availableUnits, buildReadyCart, confirmViaApi, grantTestCredit, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

const CANCEL = `mutation($input: CancelOrderInput!) {
  cancelOrder(input: $input) { __typename ... on Order { id status } ... on UserError { errorCode message } }
}`;
const REDEEM = `mutation($input: RedeemVoucherInput!) {
  redeemVoucher(input: $input) {
    __typename
    ... on VoucherRedemption { id status creditGranted { amount currency } voucher { code timesRedeemed } order { id } }
    ... on UserError { errorCode message }
  }
}`;
const BALANCE = `query { me { creditBalance(currency: "EUR") { amount currency } } }`;

describe('cancelOrder and redeemVoucher', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();

  async function placedOrder() {
    const buyer = await getApp().customer();
    await grantTestCredit(em(), buyer.id, 400);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 200, maxRedemptions: 1 });
    const ready = await buildReadyCart(em(), { customerId: buyer.id, lines: [{ price: 1_500, stock: 3, quantity: 2 }], vouchers: [voucher] });
    const confirmed = await confirmViaApi(
      getApp(),
      { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY', useCredit: true },
      buyer.token,
    );
    expect(confirmed.order.status).toBe('PLACED');
    return { buyer, voucher, ready, orderId: confirmed.order.id as string };
  }

  it('when the owner cancels a placed cash-on-delivery order, then voucher, stock and credit all come back in one go', async () => {
    const { buyer, voucher, ready, orderId } = await placedOrder();
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(1);

    const result = (await getApp().gql(CANCEL, { input: { orderId, reason: 'changed my mind' } }, { token: buyer.token })).data.cancelOrder;

    expect(result).toEqual({ __typename: 'Order', id: orderId, status: 'CANCELLED' });
    expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(0);
    expect((await em().findOneOrFail(VoucherRedemption, { orderId })).status).toBe(RedemptionStatus.RELEASED);
    expect((await em().findOneOrFail(StockLevel, { variant: ready.variants[0].id })).onHand).toBe(3);
    expect((await getApp().gql(BALANCE, {}, { token: buyer.token })).data.me.creditBalance).toEqual({ amount: 400, currency: 'EUR' });
    expect(await em().count(OutboxEvent, { type: 'order.cancelled', aggregateId: orderId })).toBe(1);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when an order is cancelled twice or by a stranger, then INVALID_STATE_TRANSITION or NOT_FOUND and nothing is returned twice', async () => {
    const { buyer, orderId } = await placedOrder();
    const stranger = await getApp().customer();
    const byStranger = (await getApp().gql(CANCEL, { input: { orderId, reason: 'x' } }, { token: stranger.token })).data.cancelOrder;
    expect(byStranger).toMatchObject({ errorCode: 'NOT_FOUND' });
    await getApp().gql(CANCEL, { input: { orderId, reason: 'first' } }, { token: buyer.token });
    const again = (await getApp().gql(CANCEL, { input: { orderId, reason: 'second' } }, { token: await getApp().adminToken() })).data.cancelOrder;
    expect(again).toMatchObject({ errorCode: 'INVALID_STATE_TRANSITION' });
    expect(await em().count(CreditLedgerEntry, { orderId })).toBe(2);
    expect((await em().findOneOrFail(Order, { id: orderId })).status).toBe(OrderStatus.CANCELLED);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a customer redeems a CREDIT voucher, then the ledger grants it once and a second try is VOUCHER_ALREADY_REDEEMED', async () => {
    const buyer = await getApp().customer();
    // No explicit per-customer limit: a credit code still pays out once per customer.
    const voucher = await buildVoucher(em(), { kind: VoucherKind.CREDIT, value: 2_500, currency: 'EUR' });

    const first = (await getApp().gql(REDEEM, { input: { code: voucher.code.toLowerCase() } }, { token: buyer.token })).data.redeemVoucher;
    const second = (await getApp().gql(REDEEM, { input: { code: voucher.code } }, { token: buyer.token })).data.redeemVoucher;

    expect(first).toMatchObject({
      __typename: 'VoucherRedemption',
      status: 'CONSUMED',
      creditGranted: { amount: 2_500, currency: 'EUR' },
      voucher: { code: voucher.code, timesRedeemed: 1 },
      order: null,
    });
    expect(second).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_ALREADY_REDEEMED' });
    expect((await getApp().gql(BALANCE, {}, { token: buyer.token })).data.me.creditBalance).toEqual({ amount: 2_500, currency: 'EUR' });
    const grant = await em().findOneOrFail(CreditLedgerEntry, { customerId: buyer.id });
    expect(grant.reason).toBe(`voucher:${voucher.code}`);
    expect(await em().count(OutboxEvent, { type: 'voucher.redeemed' })).toBe(1);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a customer redeems a once-only CREDIT voucher a second time, then VOUCHER_ALREADY_REDEEMED for them and VOUCHER_EXHAUSTED for anyone else', async () => {
    const buyer = await getApp().customer();
    const other = await getApp().customer();
    const single = await buildVoucher(em(), { kind: VoucherKind.CREDIT, value: 100, currency: 'EUR', maxRedemptions: 1 });
    const redeem = async (token: string) => (await getApp().gql(REDEEM, { input: { code: single.code } }, { token })).data.redeemVoucher;
    expect(await redeem(buyer.token)).toMatchObject({ __typename: 'VoucherRedemption', status: 'CONSUMED' });

    // The buyer's own cap is checked before the global one: their one use is what used it up.
    expect(await redeem(buyer.token)).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_ALREADY_REDEEMED' });
    expect(await redeem(other.token)).toMatchObject({ __typename: 'UserError', errorCode: 'VOUCHER_EXHAUSTED' });
    expect((await em().findOneOrFail(Voucher, { id: single.id })).redemptionCount).toBe(1);
    expect(await em().count(VoucherRedemption, { voucher: single.id })).toBe(1);
    expect((await getApp().gql(BALANCE, {}, { token: buyer.token })).data.me.creditBalance).toEqual({ amount: 100, currency: 'EUR' });
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when the voucher is not a CREDIT voucher, is used up, or the caller is anonymous, then it is refused', async () => {
    const buyer = await getApp().customer();
    const other = await getApp().customer();
    const percent = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    const single = await buildVoucher(em(), { kind: VoucherKind.CREDIT, value: 100, currency: 'EUR', maxRedemptions: 1 });
    expect((await getApp().gql(REDEEM, { input: { code: percent.code } }, { token: buyer.token })).data.redeemVoucher).toMatchObject({
      errorCode: 'VOUCHER_NOT_APPLICABLE',
    });
    expect((await getApp().gql(REDEEM, { input: { code: 'NOPE-123' } }, { token: buyer.token })).data.redeemVoucher).toMatchObject({
      errorCode: 'VOUCHER_NOT_FOUND',
    });
    await getApp().gql(REDEEM, { input: { code: single.code } }, { token: buyer.token });
    expect((await getApp().gql(REDEEM, { input: { code: single.code } }, { token: other.token })).data.redeemVoucher).toMatchObject({
      errorCode: 'VOUCHER_EXHAUSTED',
    });
    const anonymous = await getApp().gql(REDEEM, { input: { code: single.code } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
