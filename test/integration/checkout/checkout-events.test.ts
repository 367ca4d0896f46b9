import { Order, OrderStatus, OutboxEvent, PaymentMethodKind, Voucher, VoucherKind } from '../../../src/entities';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { FailureSignal, userFailure } from '../../../src/services/shared/outcome';
import { buildVoucher } from '../../factories/catalog.factory';
import { buildCustomer, buildReadyCart, directSaga, grantTestCredit, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

/**
 * Invariant 8 for checkout: `order.placed` is written with the finalize
 * step, `checkout.compensated` with a compensation or a rollback — exactly
 * once each. A compensation after the order was committed (a card payment
 * refused after the first transaction) is announced by the order's
 * cancellation (aggregate = order id); an attempt whose one transaction rolled
 * back (price guard, stock, vouchers, amount checks, a local payment kind) by
 * the saga, with the cart id as aggregate and `orderId: null`.
 */
describe('checkout outbox events', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();
  const events = (type: string) => em().find(OutboxEvent, { type }, { orderBy: { createdAt: 'asc' } });
  const guest = { customerId: null, isAdmin: false };
  const cashOnDelivery = (ready: { cart: { id: string }; versionKey: string }) => ({
    cartId: ready.cart.id,
    versionKey: ready.versionKey,
    paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY,
    useCredit: true,
  });

  it('when a checkout is placed, then order.placed carries the order facts, once, and a replay writes nothing more', async () => {
    const buyerId = await buildCustomer(em());
    await grantTestCredit(em(), buyerId, 300);
    const ready = await buildReadyCart(em(), { customerId: buyerId, lines: [{ price: 2_000, stock: 3, quantity: 1 }], shippingPrice: 500 });
    const actor = { customerId: buyerId, isAdmin: false };

    const placed = await directSaga(getApp()).confirm(em(), cashOnDelivery(ready), actor);
    await directSaga(getApp()).confirm(em(), cashOnDelivery(ready), actor);

    const orderId = placed.ok ? placed.value.order.id : 'none';
    const announced = await events('order.placed');
    expect(announced.map((e) => ({ aggregateId: e.aggregateId, payload: e.payload }))).toEqual([
      {
        aggregateId: orderId,
        payload: { orderId, cartId: ready.cart.id, paymentKind: 'CASH_ON_DELIVERY', creditApplied: 300, amountDue: 2_200 },
      },
    ]);
    expect(await events('checkout.compensated')).toEqual([]);
  });

  it('when a card checkout fails after its order was written, then one checkout.compensated names the cancelled order and no order.placed exists', async () => {
    const ready = await buildReadyCart(em());

    // No provider is configured: the refusal comes after the first transaction committed the order.
    const card = { ...cashOnDelivery(ready), paymentMethod: PaymentMethodKind.CARD, stripePaymentMethodId: 'pm_card_visa' };
    expect(await directSaga(getApp()).confirm(em(), card, guest)).toMatchObject({ ok: false, failure: { code: ErrorCode.PAYMENT_PROVIDER_NOT_CONFIGURED } });

    const cancelled = await em().findOneOrFail(Order, { cartId: ready.cart.id });
    expect(cancelled.status).toBe(OrderStatus.CANCELLED);
    const compensated = await events('checkout.compensated');
    expect(compensated.map((e) => [e.aggregateId, e.payload.orderId])).toEqual([[cancelled.id, cancelled.id]]);
    expect(await events('order.placed')).toEqual([]);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a cash-on-delivery checkout fails at its last step, then its one transaction leaves no order and one checkout.compensated names the cart', async () => {
    const ready = await buildReadyCart(em());
    const declining = directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === 'place-order') throw new FailureSignal(userFailure(ErrorCode.PAYMENT_DECLINED, 'declined'));
        },
      },
    });

    expect(await declining.confirm(em(), cashOnDelivery(ready), guest)).toMatchObject({ ok: false, failure: { code: ErrorCode.PAYMENT_DECLINED } });

    expect(await em().count(Order, {})).toBe(0);
    expect((await events('checkout.compensated')).map((e) => [e.aggregateId, e.payload.orderId])).toEqual([[ready.cart.id, null]]);
    expect(await events('order.placed')).toEqual([]);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when the stock step refuses before any order exists, then one checkout.compensated names the cart with no order', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 1, quantity: 2 }] });

    const outcome = await directSaga(getApp()).confirm(em(), cashOnDelivery(ready), guest);

    expect(outcome).toMatchObject({ ok: false, failure: { code: ErrorCode.INSUFFICIENT_STOCK } });
    const compensated = await events('checkout.compensated');
    expect(compensated.map((e) => ({ aggregateId: e.aggregateId, payload: e.payload }))).toEqual([
      {
        aggregateId: ready.cart.id,
        payload: { orderId: null, cartId: ready.cart.id, sagaId: expect.any(String), reason: expect.stringContaining('INSUFFICIENT_STOCK') },
      },
    ]);
    expect(await em().count(Order, {})).toBe(0);
  });

  it('when the voucher step refuses before any order exists, then one checkout.compensated names the cart', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100 });
    const ready = await buildReadyCart(em(), { vouchers: [voucher] });
    await em().nativeUpdate(Voucher, { id: voucher.id }, { endsAt: new Date(Date.now() - 60_000) });

    const outcome = await directSaga(getApp()).confirm(em(), cashOnDelivery(ready), guest);

    expect(outcome).toMatchObject({ ok: false, failure: { code: ErrorCode.VOUCHER_EXPIRED } });
    expect((await events('checkout.compensated')).map((e) => [e.aggregateId, e.payload.orderId])).toEqual([[ready.cart.id, null]]);
    await assertCheckoutInvariants(getApp().orm);
  });
});
