import type { Orm } from '../../../src/db/orm';
import {
  Cart,
  CartStatus,
  CreditLedgerEntry,
  IdempotencyRecord,
  Order,
  OrderStatus,
  OutboxEvent,
  Payment,
  PaymentMethodKind,
  Reservation,
  SagaExecution,
  SagaStatus,
  StockLevel,
  Voucher,
  VoucherKind,
  VoucherRedemption,
} from '../../../src/entities';
import { PROVIDER_PATH } from '../../../src/services/checkout/confirm-checkout.saga';
import { creditBalance } from '../../support/credit-balance';
import type { SagaRecordData } from '../../../src/services/saga/saga-types';
import { SimulatedCrash, StepTimeoutError } from '../../../src/services/saga/saga-types';
import { systemClock } from '../../../src/services/shared/clock';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { FailureSignal, userFailure } from '../../../src/services/shared/outcome';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { sagaRecoveries } from '../../../src/observability/metrics';
import { buildVoucher } from '../../factories/catalog.factory';
import {
  availableUnits,
  buildCustomer,
  buildReadyCart,
  checkoutDeps,
  directSaga,
  grantTestCredit,
  storesOf,
  useCheckoutApp,
} from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

const CREDIT = 500;

/** Every row a checkout compensation could touch, in a stable order, for before/after comparisons. */
async function checkoutState(orm: Orm) {
  const em = orm.em.fork();
  const byId = { orderBy: { id: 'asc' } } as const;
  return {
    vouchers: (await em.find(Voucher, {}, byId)).map((v) => [v.id, v.redemptionCount]),
    redemptions: (await em.find(VoucherRedemption, {}, byId)).map((r) => [r.id, r.status, r.releasedAt?.getTime() ?? null]),
    reservations: (await em.find(Reservation, {}, byId)).map((r) => [r.id, r.status]),
    stock: (await em.find(StockLevel, {}, byId)).map((l) => [l.id, l.onHand]),
    ledger: (await em.find(CreditLedgerEntry, {}, byId)).map((e) => [e.id, e.amount, e.entryKey]),
    orders: (await em.find(Order, {}, byId)).map((o) => [o.id, o.status, o.cancelReason]),
    payments: (await em.find(Payment, {}, byId)).map((p) => [p.id, p.status]),
    carts: (await em.find(Cart, {}, byId)).map((c) => [c.id, c.status]),
    claims: (await em.find(IdempotencyRecord, {}, byId)).map((c) => [c.id, c.status]),
    outbox: (await em.find(OutboxEvent, {}, byId)).map((e) => ({ id: e.id, type: e.type, aggregateId: e.aggregateId })),
  };
}

describe('checkout saga compensation and recovery', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();
  const recoveryDeps = () => ({ config: getApp().config, clock: systemClock, payments: null, checkout: {}, ...storesOf(getApp()) });
  const afterGrace = () => new Date(Date.now() + getApp().config.sagaRecoveryGraceMs + 1_000);

  /** A customer with credit, a one-use voucher and two lines: every step has something to undo. */
  async function arrange() {
    const buyerId = await buildCustomer(em());
    await grantTestCredit(em(), buyerId, CREDIT);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 300, maxRedemptions: 1 });
    const ready = await buildReadyCart(em(), {
      customerId: buyerId,
      lines: [
        { price: 2_000, stock: 4, quantity: 2 },
        { price: 700, stock: 1, quantity: 1 },
      ],
      vouchers: [voucher],
    });
    // A card checkout: its first transaction commits before the payment call, so there is a saga to compensate.
    const command = {
      cartId: ready.cart.id,
      versionKey: ready.versionKey,
      paymentMethod: PaymentMethodKind.CARD,
      stripePaymentMethodId: 'pm_card_visa',
      useCredit: true,
    };
    return { buyerId, voucher, ready, command, actor: { customerId: buyerId, isAdmin: false } };
  }

  async function expectNothingHeld(arranged: Awaited<ReturnType<typeof arrange>>) {
    expect((await em().findOneOrFail(Voucher, { id: arranged.voucher.id })).redemptionCount).toBe(0);
    expect(await creditBalance(em(), arranged.buyerId, 'EUR')).toBe(CREDIT);
    expect(await availableUnits(getApp().orm, arranged.ready.variants[0].id)).toBe(4);
    expect(await availableUnits(getApp().orm, arranged.ready.variants[1].id)).toBe(1);
    expect(await em().count(Order, { status: { $ne: OrderStatus.CANCELLED } })).toBe(0);
    expect((await em().findOneOrFail(Cart, { id: arranged.ready.cart.id })).status).toBe(CartStatus.OPEN);
    await assertCheckoutInvariants(getApp().orm);
  }

  const crashBefore = (stepId: string) =>
    directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === stepId) throw new SimulatedCrash(`killed before ${id}`);
        },
      },
    });

  it("when every step's compensation is run twice on the same data, then the second run changes nothing", async () => {
    const arranged = await arrange();
    await expect(crashBefore('payment').confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
    const row = await em().findOneOrFail(SagaExecution, { key: { $like: `${arranged.ready.cart.id}:%` } });
    const recorded = (row.data as unknown as SagaRecordData<unknown>).steps;
    expect(Object.keys(recorded).sort()).toEqual(['claim-cart', 'create-order', 'hold-vouchers', 'price-guard', 'reserve-stock']);
    const compensateAll = async () => {
      for (const step of [...PROVIDER_PATH].reverse()) {
        if (step.id in recorded) await step.compensate(em(), recorded[step.id] as never, checkoutDeps(getApp()));
      }
    };

    await compensateAll();
    const once = await checkoutState(getApp().orm);
    await compensateAll();

    expect(await checkoutState(getApp().orm)).toEqual(once);
    expect(once.outbox.filter((e) => e.type === 'checkout.compensated')).toHaveLength(1);
    // The saga row itself is still RUNNING (its runner died): recovery ends it, and its compensations are no-ops by now.
    expect(await recoverStaleSagas(em(), recoveryDeps(), afterGrace())).toBe(1);
    const afterRecovery = await checkoutState(getApp().orm);
    expect(afterRecovery).toEqual(once);
    await expectNothingHeld(arranged);
  });

  it('when the process dies half-way through the compensations (saga COMPENSATING), then recovery finishes them', async () => {
    const arranged = await arrange();
    const saga = directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === 'payment') throw new FailureSignal(userFailure(ErrorCode.PAYMENT_DECLINED, 'injected'));
        },
        beforeCompensate: (id) => {
          if (id === 'hold-vouchers') throw new SimulatedCrash('killed while compensating');
        },
      },
    });
    await expect(saga.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
    const row = await em().findOneOrFail(SagaExecution, { key: { $like: `${arranged.ready.cart.id}:%` } });
    expect(row.status).toBe(SagaStatus.COMPENSATING);
    // Half-way: the order is cancelled, the voucher and the stock are still held.
    expect((await em().findOneOrFail(Order, { cartId: arranged.ready.cart.id })).status).toBe(OrderStatus.CANCELLED);
    expect((await em().findOneOrFail(Voucher, { id: arranged.voucher.id })).redemptionCount).toBe(1);

    const compensatedCount = async () => (await sagaRecoveries.get()).values.find((v) => v.labels.outcome === 'compensated')?.value ?? 0;
    const before = await compensatedCount();
    expect(await recoverStaleSagas(em(), recoveryDeps(), afterGrace())).toBe(1);
    expect((await compensatedCount()) - before).toBe(1);

    expect((await em().findOneOrFail(SagaExecution, { id: row.id })).status).toBe(SagaStatus.COMPENSATED);
    await expectNothingHeld(arranged);
    expect(await recoverStaleSagas(em(), recoveryDeps(), afterGrace())).toBe(0);
  });

  it('when a crashed saga is younger than the recovery grace period, then the recovery worker leaves it alone until it is not', async () => {
    const arranged = await arrange();
    await expect(crashBefore('payment').confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
    const withinGrace = new Date(Date.now() + getApp().config.sagaRecoveryGraceMs - 5_000);

    expect(await recoverStaleSagas(em(), recoveryDeps(), withinGrace)).toBe(0);

    const row = await em().findOneOrFail(SagaExecution, { key: { $like: `${arranged.ready.cart.id}:%` } });
    expect(row).toMatchObject({ status: SagaStatus.RUNNING, stepsCompleted: PROVIDER_PATH.findIndex((s) => s.id === 'create-order') + 1 });
    expect((await em().findOneOrFail(Order, { cartId: arranged.ready.cart.id })).status).toBe(OrderStatus.PENDING_PAYMENT);
    expect(await recoverStaleSagas(em(), recoveryDeps(), afterGrace())).toBe(1);
    // No provider holds a payment for the order (none is configured): recovery gives everything back.
    expect((await em().findOneOrFail(Order, { cartId: arranged.ready.cart.id })).status).toBe(OrderStatus.CANCELLED);
    await expectNothingHeld(arranged);
  });

  it('when claim-cart outlives its deadline and is released later, then its transaction has already rolled back, the late step is refused and the cart is open for a retry at once', async () => {
    const arranged = await arrange();
    let releaseClaim!: () => void;
    const claimGate = new Promise<void>((resolve) => {
      releaseClaim = resolve;
    });
    let invoked = 0;
    let gateReleased = false;
    const saga = directSaga(getApp(), {
      stepTimeoutMs: 150,
      faults: {
        beforeStep: (id) => (id === 'claim-cart' && !gateReleased ? claimGate : undefined),
        onInvoke: (id) => {
          if (id === 'claim-cart') invoked++;
        },
      },
    });
    await expect(saga.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(StepTimeoutError);

    gateReleased = true;
    releaseClaim();
    await claimGate;
    // The released step goes on in microtasks; one macrotask later it has either been refused or invoked.
    await new Promise((resolve) => setImmediate(resolve));
    // The step never started on the rolled-back transaction: it was refused before it ran.
    expect(invoked).toBe(0);

    expect((await em().findOneOrFail(Cart, { id: arranged.ready.cart.id })).status).toBe(CartStatus.OPEN);
    expect(await em().count(IdempotencyRecord, {})).toBe(0);
    expect(await em().count(SagaExecution, {})).toBe(0);
    await expectNothingHeld(arranged);
    // No grace period to wait out: the same key is a new attempt right away.
    const retry = await directSaga(getApp()).confirm(em(), { ...arranged.command, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY }, arranged.actor);
    expect(retry.ok && retry.value.order.status).toBe(OrderStatus.PLACED);
    await assertCheckoutInvariants(getApp().orm);
  });
});
