import { Cart, CartStatus, Order, OrderStatus, Voucher, VoucherKind } from '../../../src/entities';
import { LOCAL_PATH } from '../../../src/services/checkout/confirm-checkout.saga';
import { creditBalance } from '../../support/credit-balance';
import { SimulatedCrash, StepTimeoutError } from '../../../src/services/saga/saga-types';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { FailureSignal, userFailure } from '../../../src/services/shared/outcome';
import { systemClock } from '../../../src/services/shared/clock';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { PaymentMethodKind } from '../../../src/entities';
import type { CheckoutPayments } from '../../../src/services/payments/payment-port';
import { CancelOrderService } from '../../../src/services/orders/cancel-order.service';
import { buildVoucher } from '../../factories/catalog.factory';
import {
  availableUnits,
  buildReadyCart,
  directSaga,
  buildCustomer,
  grantTestCredit,
  storesOf,
  useCheckoutApp,
  versionKeyOf,
} from '../../factories/checkout.factory';
import { assertCheckoutInvariants, checkoutInvariantViolations } from '../../support/invariants';

const STEP_IDS = LOCAL_PATH.map((step) => step.id);
const CREDIT = 500;

describe('confirmCheckout under failure', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();

  /** A customer with credit, a one-use voucher and two lines: every step has something to undo. */
  async function arrange() {
    const buyer = { id: await buildCustomer(em()) };
    await grantTestCredit(em(), buyer.id, CREDIT);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 300, maxRedemptions: 1 });
    const ready = await buildReadyCart(em(), {
      customerId: buyer.id,
      lines: [
        { price: 2_000, stock: 4, quantity: 2 },
        { price: 700, stock: 1, quantity: 1 },
      ],
      vouchers: [voucher],
    });
    const command = { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY, useCredit: true };
    const actor = { customerId: buyer.id, isAdmin: false };
    return { buyer, voucher, ready, command, actor };
  }

  /** Nothing moved: voucher back to 0, credit intact, stock available, no placed order, cart open. */
  async function expectNothingMoved(arranged: Awaited<ReturnType<typeof arrange>>) {
    expect((await em().findOneOrFail(Voucher, { id: arranged.voucher.id })).redemptionCount).toBe(0);
    expect(await creditBalance(em(), arranged.buyer.id, 'EUR')).toBe(CREDIT);
    expect(await availableUnits(getApp().orm, arranged.ready.variants[0].id)).toBe(4);
    expect(await availableUnits(getApp().orm, arranged.ready.variants[1].id)).toBe(1);
    expect(await em().count(Order, { status: { $ne: OrderStatus.CANCELLED } })).toBe(0);
    expect((await em().findOneOrFail(Cart, { id: arranged.ready.cart.id })).status).toBe(CartStatus.OPEN);
    await assertCheckoutInvariants(getApp().orm);
  }

  /** After a failure the very same cart and key can be confirmed as a new attempt. */
  async function expectRetrySucceeds(arranged: Awaited<ReturnType<typeof arrange>>) {
    const retry = await directSaga(getApp()).confirm(
      em(),
      { ...arranged.command, versionKey: await versionKeyOf(em(), arranged.ready.cart.id) },
      arranged.actor,
    );
    expect(retry.ok && retry.value.order.status).toBe(OrderStatus.PLACED);
    expect((await em().findOneOrFail(Voucher, { id: arranged.voucher.id })).redemptionCount).toBe(1);
    await assertCheckoutInvariants(getApp().orm);
  }

  it.each(STEP_IDS)('when step %s fails with a business error, then every earlier step is compensated and a retry succeeds', async (stepId) => {
    const arranged = await arrange();
    const saga = directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === stepId) throw new FailureSignal(userFailure(ErrorCode.PAYMENT_DECLINED, 'injected'));
        },
      },
    });
    const outcome = await saga.confirm(em(), arranged.command, arranged.actor);
    expect(outcome).toMatchObject({ ok: false, failure: { code: ErrorCode.PAYMENT_DECLINED } });
    await expectNothingMoved(arranged);
    await expectRetrySucceeds(arranged);
  });

  it.each(STEP_IDS)('when step %s throws a technical fault, then the fault surfaces after the compensations', async (stepId) => {
    const arranged = await arrange();
    const saga = directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === stepId) throw new Error('injected database outage');
        },
      },
    });
    await expect(saga.confirm(em(), arranged.command, arranged.actor)).rejects.toThrow('injected database outage');
    await expectNothingMoved(arranged);
  });

  it.each(STEP_IDS)('when step %s never answers, then it times out and its transaction rolls back', async (stepId) => {
    const arranged = await arrange();
    const never = new Promise<void>(() => undefined);
    const saga = directSaga(getApp(), { stepTimeoutMs: 150, faults: { beforeStep: (id) => (id === stepId ? never : undefined) } });
    await expect(saga.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(StepTimeoutError);
    await expectNothingMoved(arranged);
  });

  it('when a card payment call never answers, then nothing is compensated blindly and recovery asks the provider before ending the order', async () => {
    const arranged = await arrange();
    const lookups: string[] = [];
    // The port's contract, not the SDK: a provider that takes the call and never answers, and holds no payment when asked.
    const silent: CheckoutPayments = {
      startPayment: () => new Promise<never>(() => undefined),
      cancelPayment: async () => undefined,
      lookupPayment: async (orderId) => {
        lookups.push(orderId);
        return null;
      },
      createCustomer: () => Promise.reject(new Error('a checkout without a plan creates no provider customer')),
    };
    const saga = directSaga(getApp(), { stepTimeoutMs: 150 }, { payments: silent });

    const outcome = await saga.confirm(
      em(),
      { ...arranged.command, paymentMethod: PaymentMethodKind.CARD, stripePaymentMethodId: 'pm_card_visa' },
      arranged.actor,
    );

    expect(outcome).toMatchObject({ ok: false, failure: { code: ErrorCode.CHECKOUT_IN_PROGRESS } });
    const pending = await em().findOneOrFail(Order, { cartId: arranged.ready.cart.id });
    expect(pending.status).toBe(OrderStatus.PENDING_PAYMENT);
    const later = new Date(Date.now() + getApp().config.sagaRecoveryGraceMs + 1_000);
    expect(
      await recoverStaleSagas(
        getApp().orm.em.fork(),
        { config: getApp().config, clock: systemClock, payments: silent, checkout: {}, ...storesOf(getApp()) },
        later,
      ),
    ).toBe(1);
    expect(lookups).toEqual([pending.id]);
    await expectNothingMoved(arranged);
  });

  /** A card checkout killed after its first transaction committed the order, before it called the provider. */
  async function crashCardCheckoutBeforePayment(arranged: Awaited<ReturnType<typeof arrange>>) {
    const card = { ...arranged.command, paymentMethod: PaymentMethodKind.CARD, stripePaymentMethodId: 'pm_card_visa' };
    const crashing = directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === 'payment') throw new SimulatedCrash('killed before payment');
        },
      },
    });
    await expect(crashing.confirm(em(), card, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
  }

  const recoverAfterGrace = () => {
    const later = new Date(Date.now() + getApp().config.sagaRecoveryGraceMs + 1_000);
    return recoverStaleSagas(
      getApp().orm.em.fork(),
      { config: getApp().config, clock: systemClock, payments: null, checkout: {}, ...storesOf(getApp()) },
      later,
    );
  };

  const boundaries = STEP_IDS.slice(1).map((next, index) => [STEP_IDS[index], next] as const);

  it.each(boundaries)(
    'when the process dies between %s and %s of a cash-on-delivery checkout, then its one transaction rolls back and recovery has nothing to find',
    async (_done, next) => {
      const arranged = await arrange();
      const crashing = directSaga(getApp(), {
        faults: {
          beforeStep: (id) => {
            if (id === next) throw new SimulatedCrash(`killed before ${id}`);
          },
        },
      });
      await expect(crashing.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);

      await expectNothingMoved(arranged);
      expect(await recoverAfterGrace()).toBe(0);
      await expectRetrySucceeds(arranged);
    },
  );

  it('when the process dies after a card checkout committed its order and before the payment call, then recovery finds no charge and gives everything back', async () => {
    const arranged = await arrange();
    await crashCardCheckoutBeforePayment(arranged);
    expect((await checkoutInvariantViolations(getApp().orm)).some((p) => p.includes('RUNNING'))).toBe(true);

    expect(await recoverAfterGrace()).toBe(1);

    await expectNothingMoved(arranged);
    expect(await recoverAfterGrace()).toBe(0);
    await expectRetrySucceeds(arranged);
  });

  it('when a pending order is cancelled while its saga is dead, then recovery cannot place it and everything comes back once', async () => {
    const arranged = await arrange();
    await crashCardCheckoutBeforePayment(arranged);
    const pending = await em().findOneOrFail(Order, { cartId: arranged.ready.cart.id });
    expect(pending.status).toBe(OrderStatus.PENDING_PAYMENT);

    const cancelled = await new CancelOrderService(em(), { clock: systemClock, db: getApp().tillgate.deps.db, stores: getApp().tillgate.deps.stores }).cancel({
      orderId: pending.id,
      reason: 'buyer called',
      actor: arranged.actor,
    });
    expect(cancelled.ok && cancelled.value.status).toBe(OrderStatus.CANCELLED);

    expect(await recoverAfterGrace()).toBe(1);
    await expectNothingMoved(arranged);
  });
});
