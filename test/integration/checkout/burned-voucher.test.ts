import { Cart, CartStatus, Order, OrderStatus, VoucherKind } from '../../../src/entities';
import { creditBalance } from '../../support/credit-balance';
import type { SagaFaults } from '../../../src/services/saga/saga-types';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { FailureSignal, userFailure } from '../../../src/services/shared/outcome';
import { buildVoucher } from '../../factories/catalog.factory';
import { availableUnits, buildReadyCart, confirmViaApi, grantTestCredit, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

const TIMES_REDEEMED = `query($code: String!) { voucher(code: $code) { timesRedeemed } }`;

/**
 * The production post-mortem, as a regression test: a one-use voucher was
 * burned by a checkout that then failed (payment processor not configured).
 */
describe('a failed checkout never burns a voucher', () => {
  const faults: SagaFaults = {};
  const getApp = useCheckoutApp({}, { checkout: { faults } });
  beforeEach(() => {
    faults.beforeStep = undefined;
  });

  const em = () => getApp().orm.em.fork();
  const timesRedeemed = async (code: string) =>
    (await getApp().gql(TIMES_REDEEMED, { code }, { token: await getApp().adminToken() })).data.voucher.timesRedeemed;

  const CREDIT = 1_000;

  /** A signed-in buyer spending store credit too, so "no credit moved" is something that could break. */
  async function arrange() {
    const buyer = await getApp().customer();
    await grantTestCredit(em(), buyer.id, CREDIT);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 500, maxRedemptions: 1 });
    const ready = await buildReadyCart(em(), { customerId: buyer.id, lines: [{ price: 3_000, stock: 2, quantity: 1 }], vouchers: [voucher] });
    return { buyer, voucher, ready, input: { cartId: ready.cart.id, versionKey: ready.versionKey, useCredit: true } };
  }

  async function expectVoucherBackAndRetryWorks({ buyer, voucher, ready, input }: Awaited<ReturnType<typeof arrange>>) {
    expect(await timesRedeemed(voucher.code)).toBe(0);
    expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(CREDIT);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(2);
    expect(await em().count(Order, { status: OrderStatus.PLACED })).toBe(0);
    expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).status).toBe(CartStatus.OPEN);
    await assertCheckoutInvariants(getApp().orm);

    faults.beforeStep = undefined;
    const retry = await confirmViaApi(getApp(), { ...input, paymentMethod: 'CASH_ON_DELIVERY' }, buyer.token);
    expect(retry).toMatchObject({
      __typename: 'CheckoutConfirmation',
      replayed: false,
      order: { status: 'PLACED', voucherCodes: [voucher.code], totals: { creditApplied: { amount: CREDIT } } },
    });
    expect(await timesRedeemed(voucher.code)).toBe(1);
    expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(0);
    await assertCheckoutInvariants(getApp().orm);
  }

  it('when the last step of a cash-on-delivery checkout fails after the voucher was used, then its one transaction rolls back and a retry succeeds', async () => {
    const arranged = await arrange();
    faults.beforeStep = (stepId) => {
      if (stepId === 'place-order') throw new FailureSignal(userFailure(ErrorCode.PAYMENT_DECLINED, 'The card was declined.'));
    };
    const failed = await confirmViaApi(getApp(), { ...arranged.input, paymentMethod: 'CASH_ON_DELIVERY' }, arranged.buyer.token);
    expect(failed).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_DECLINED' });
    // The voucher hold, the credit spend and the order all rolled back with the one transaction.
    expect(await em().count(Order, { cartId: arranged.ready.cart.id })).toBe(0);
    await expectVoucherBackAndRetryWorks(arranged);
  });

  it('when a card payment finds no payment provider configured, then PAYMENT_PROVIDER_NOT_CONFIGURED and the voucher comes back', async () => {
    const arranged = await arrange();
    const failed = await confirmViaApi(getApp(), { ...arranged.input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' }, arranged.buyer.token);
    expect(failed).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_NOT_CONFIGURED' });
    expect(await em().findOneOrFail(Order, { cartId: arranged.ready.cart.id })).toMatchObject({ status: OrderStatus.CANCELLED, creditApplied: CREDIT });
    await expectVoucherBackAndRetryWorks(arranged);
  });
});
