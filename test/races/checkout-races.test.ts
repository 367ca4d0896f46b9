import { Order, OrderStatus, OutboxEvent, PaymentMethodKind, Reservation, ReservationStatus, StockLevel, Voucher, VoucherKind } from '../../src/entities';
import type { Outcome } from '../../src/services/shared/outcome';
import { SimulatedCrash } from '../../src/services/saga/saga-types';
import { recoverStaleSagas } from '../../src/services/workers/saga-recovery.worker';
import type { CheckoutConfirmation } from '../../src/services/checkout/confirm-checkout.saga';
import { buildProduct, buildVoucher } from '../factories/catalog.factory';
import { availableUnits, buildCustomer, buildReadyCart, directSaga, START_CHECKOUT, storesOf, useCheckoutApp } from '../factories/checkout.factory';
import { assertCheckoutInvariants } from '../support/invariants';

/**
 * Many real PostgreSQL connections (pool 40) racing for the last voucher use,
 * the last units and one cart's idempotency key. Each confirm runs on its own
 * EntityManager fork, as concurrent requests do.
 */
describe('checkout races on PostgreSQL', () => {
  const getApp = useCheckoutApp();

  const em = () => getApp().orm.em.fork();
  const failureCodes = (outcomes: Outcome<CheckoutConfirmation>[]) => outcomes.flatMap((o) => (o.ok ? [] : [o.failure.code])).sort();

  const customers = (count: number) => Promise.all(Array.from({ length: count }, () => buildCustomer(em())));

  const confirmAll = (carts: { cartId: string; versionKey: string; customerId: string | null }[]) => {
    const saga = directSaga(getApp());
    return Promise.all(
      carts.map((c) =>
        saga.confirm(
          em(),
          { cartId: c.cartId, versionKey: c.versionKey, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY },
          { customerId: c.customerId, isAdmin: false },
        ),
      ),
    );
  };

  it('when 40 customers race for a voucher capped at 5, then exactly 5 orders carry it and the rest get VOUCHER_EXHAUSTED', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100, maxRedemptions: 5 });
    const {
      variants: [variant],
    } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 1_000 }] });
    const carts = await Promise.all(
      (await customers(40)).map(async (customerId) => {
        const ready = await buildReadyCart(em(), { customerId, variants: [{ variant, quantity: 1 }], vouchers: [voucher] });
        return { cartId: ready.cart.id, versionKey: ready.versionKey, customerId };
      }),
    );

    const outcomes = await confirmAll(carts);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    expect(failureCodes(outcomes)).toEqual(Array(35).fill('VOUCHER_EXHAUSTED'));
    const placed = await em().find(Order, { status: OrderStatus.PLACED });
    expect(placed.filter((o) => o.voucherCodes.includes(voucher.code))).toHaveLength(5);
    expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(5);
    await assertCheckoutInvariants(getApp().orm);
  });

  it.each([
    ['once per customer', { perCustomerLimit: 1 }],
    ['1 overall and once per customer', { maxRedemptions: 1, perCustomerLimit: 1 }],
  ])(
    'when one customer checks out two carts at once with a voucher capped at %s, then one uses it and the other hears VOUCHER_ALREADY_REDEEMED',
    async (_caps, caps) => {
      const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100, ...caps });
      const [customerId] = await customers(1);
      const carts = [];
      for (let i = 0; i < 2; i++) {
        const ready = await buildReadyCart(em(), { customerId, vouchers: [voucher] });
        carts.push({ cartId: ready.cart.id, versionKey: ready.versionKey, customerId });
      }

      const outcomes = await confirmAll(carts);

      // The loser either waited on the winner's uncommitted slot or read its committed use: their own cap, either way.
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(failureCodes(outcomes)).toEqual(['VOUCHER_ALREADY_REDEEMED']);
      expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(1);
      await assertCheckoutInvariants(getApp().orm);
    },
  );

  it('when 20 buyers race for 5 units, then exactly 5 orders are placed and stock ends at 0, never below', async () => {
    const {
      variants: [variant],
    } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 5 }] });
    const carts = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const ready = await buildReadyCart(em(), { variants: [{ variant, quantity: 1 }] });
        return { cartId: ready.cart.id, versionKey: ready.versionKey, customerId: null };
      }),
    );

    const outcomes = await confirmAll(carts);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    expect(failureCodes(outcomes)).toEqual(Array(15).fill('INSUFFICIENT_STOCK'));
    expect(await em().count(Order, { status: OrderStatus.PLACED })).toBe(5);
    expect(await availableUnits(getApp().orm, variant.id)).toBe(0);
    expect((await em().findOneOrFail(StockLevel, { variant: variant.id })).onHand).toBe(0);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when 20 carts start checkout at once for 5 units, then exactly 5 hold them and the rest hear INSUFFICIENT_STOCK', async () => {
    const {
      variants: [variant],
    } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 5 }] });
    const carts = await Promise.all(Array.from({ length: 20 }, () => buildReadyCart(em(), { variants: [{ variant, quantity: 1 }] })));

    const answers = await Promise.all(carts.map(({ cart }) => getApp().gql(START_CHECKOUT, { input: { cartId: cart.id } })));

    const kinds = answers.map((answer) => answer.data.startCheckout.__typename).sort();
    expect(kinds).toEqual([...Array(5).fill('CheckoutPreview'), ...Array(15).fill('InsufficientStockError')]);
    const active = await em().find(Reservation, { variant: variant.id, status: ReservationStatus.ACTIVE });
    expect(active.reduce((units, r) => units + r.quantity, 0)).toBe(5);
    expect(await availableUnits(getApp().orm, variant.id)).toBe(0);
    expect((await em().findOneOrFail(StockLevel, { variant: variant.id })).onHand).toBe(5);
  });

  it('when one cart is confirmed 8 times at once with the same key, then exactly one order exists and the rest wait or replay it', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 10, quantity: 2 }] });
    const same = { cartId: ready.cart.id, versionKey: ready.versionKey, customerId: null };

    const outcomes = await confirmAll(Array(8).fill(same));

    const orderIds = new Set(outcomes.flatMap((o) => (o.ok ? [o.value.order.id] : [])));
    expect(orderIds.size).toBe(1);
    // Each attempt ends one of three ways; which of the last two depends on timing, but never anything else.
    const tally = { placed: 0, replayed: 0, inProgress: 0, otherwise: [] as string[] };
    for (const o of outcomes) {
      if (o.ok) tally[o.value.replayed ? 'replayed' : 'placed'] += 1;
      else if (o.failure.code === 'CHECKOUT_IN_PROGRESS') tally.inProgress += 1;
      else tally.otherwise.push(o.failure.code);
    }
    expect(tally.placed).toBe(1);
    expect(tally.otherwise).toEqual([]);
    expect(tally.replayed + tally.inProgress).toBe(7);
    expect(await em().count(Order, {})).toBe(1);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(8);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when two recovery workers run at once over crashed sagas, then each saga is ended exactly once', async () => {
    // Card checkouts killed after their first transaction: each leaves a RUNNING saga with a pending order.
    const crashing = directSaga(getApp(), {
      faults: {
        beforeStep: (id) => {
          if (id === 'payment') throw new SimulatedCrash('killed before payment');
        },
      },
    });
    const carts = await Promise.all(Array.from({ length: 6 }, () => buildReadyCart(em(), { lines: [{ price: 1_000, stock: 3, quantity: 1 }] })));
    for (const ready of carts) {
      const card = { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: PaymentMethodKind.CARD, stripePaymentMethodId: 'pm_card_visa' };
      await expect(crashing.confirm(em(), card, { customerId: null, isAdmin: false })).rejects.toBeInstanceOf(SimulatedCrash);
    }
    // The workers run past the grace period, on a clock that says so: what they write (a claim, a compensation's
    // start) is stamped with that time, as a worker's own clock would stamp it.
    const later = new Date(Date.now() + getApp().config.sagaRecoveryGraceMs + 1_000);
    const deps = { config: getApp().config, clock: { now: () => later }, payments: null, checkout: {}, ...storesOf(getApp()) };

    const [first, second] = await Promise.all([recoverStaleSagas(em(), deps, later), recoverStaleSagas(em(), deps, later)]);

    expect(first + second).toBe(6);
    // No provider holds a payment for any of them: each order is cancelled once, each cancellation announced once.
    expect(await em().count(Order, { status: OrderStatus.CANCELLED })).toBe(6);
    expect(await em().count(OutboxEvent, { type: 'checkout.compensated' })).toBe(6);
    await assertCheckoutInvariants(getApp().orm);
  });
});
