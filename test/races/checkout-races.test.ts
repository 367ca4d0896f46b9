import { Customer, Order, OrderStatus, PaymentMethodKind, StockLevel, Voucher, VoucherKind } from '../../src/entities';
import type { Outcome } from '../../src/services/shared/outcome';
import type { CheckoutConfirmation } from '../../src/services/checkout/confirm-checkout.saga';
import { buildProduct, buildVoucher } from '../factories/catalog.factory';
import { availableUnits, buildReadyCart, directSaga } from '../factories/checkout.factory';
import { assertCheckoutInvariants } from '../support/invariants';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Many real PostgreSQL connections (pool 40) racing for the last voucher use,
 * the last units and one cart's idempotency key. Each confirm runs on its own
 * EntityManager fork, as concurrent requests do.
 */
describe('checkout races on PostgreSQL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const em = () => app.orm.em.fork();
  const failureCodes = (outcomes: Outcome<CheckoutConfirmation>[]) =>
    outcomes.flatMap((o) => (o.ok ? [] : [o.failure.code])).sort();

  async function customers(count: number): Promise<string[]> {
    const fork = em();
    const rows = Array.from({ length: count }, (_, i) => fork.create(Customer, { email: `racer-${i}-${Date.now()}@example.com`, passwordHash: 'x' }));
    await fork.flush();
    return rows.map((c) => c.id);
  }

  const confirmAll = (carts: { cartId: string; versionKey: string; customerId: string | null }[]) => {
    const saga = directSaga(app);
    return Promise.all(carts.map((c) =>
      saga.confirm(em(), { cartId: c.cartId, versionKey: c.versionKey, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY }, { customerId: c.customerId, isAdmin: false })));
  };

  it('when 40 customers race for a voucher capped at 5, then exactly 5 orders carry it and the rest get VOUCHER_EXHAUSTED', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100, maxRedemptions: 5 });
    const { variants: [variant] } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 1_000 }] });
    const carts = [];
    for (const customerId of await customers(40)) {
      const ready = await buildReadyCart(em(), { customerId, variants: [{ variant, quantity: 1 }], vouchers: [voucher] });
      carts.push({ cartId: ready.cart.id, versionKey: ready.versionKey, customerId });
    }

    const outcomes = await confirmAll(carts);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    expect(failureCodes(outcomes)).toEqual(Array(35).fill('VOUCHER_EXHAUSTED'));
    const placed = await em().find(Order, { status: OrderStatus.PLACED });
    expect(placed.filter((o) => o.voucherCodes.includes(voucher.code))).toHaveLength(5);
    expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(5);
    await assertCheckoutInvariants(app.orm);
  });

  it('when one customer checks out two carts with a once-per-customer voucher at the same time, then at most one uses it', async () => {
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100, perCustomerLimit: 1 });
    const [customerId] = await customers(1);
    const carts = [];
    for (let i = 0; i < 2; i++) {
      const ready = await buildReadyCart(em(), { customerId, vouchers: [voucher] });
      carts.push({ cartId: ready.cart.id, versionKey: ready.versionKey, customerId });
    }

    const outcomes = await confirmAll(carts);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(failureCodes(outcomes)).toEqual(['VOUCHER_ALREADY_REDEEMED']);
    expect((await em().findOneOrFail(Voucher, { id: voucher.id })).redemptionCount).toBe(1);
    await assertCheckoutInvariants(app.orm);
  });

  it('when 20 buyers race for 5 units, then exactly 5 orders are placed and stock ends at 0, never below', async () => {
    const { variants: [variant] } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 5 }] });
    const carts = [];
    for (let i = 0; i < 20; i++) {
      const ready = await buildReadyCart(em(), { variants: [{ variant, quantity: 1 }] });
      carts.push({ cartId: ready.cart.id, versionKey: ready.versionKey, customerId: null });
    }

    const outcomes = await confirmAll(carts);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    expect(failureCodes(outcomes)).toEqual(Array(15).fill('INSUFFICIENT_STOCK'));
    expect(await em().count(Order, { status: OrderStatus.PLACED })).toBe(5);
    expect(await availableUnits(app.orm, variant.id)).toBe(0);
    expect((await em().findOneOrFail(StockLevel, { variant: variant.id })).onHand).toBe(0);
    await assertCheckoutInvariants(app.orm);
  });

  it('when one cart is confirmed 8 times at once with the same key, then exactly one order exists and the rest wait or replay it', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 10, quantity: 2 }] });
    const same = { cartId: ready.cart.id, versionKey: ready.versionKey, customerId: null };

    const outcomes = await confirmAll(Array(8).fill(same));

    const orderIds = new Set(outcomes.flatMap((o) => (o.ok ? [o.value.order.id] : [])));
    expect(orderIds.size).toBe(1);
    expect(outcomes.filter((o) => o.ok && !o.value.replayed)).toHaveLength(1);
    expect(new Set(failureCodes(outcomes))).toEqual(new Set(failureCodes(outcomes).length ? ['CHECKOUT_IN_PROGRESS'] : []));
    expect(await em().count(Order, {})).toBe(1);
    expect(await availableUnits(app.orm, ready.variants[0].id)).toBe(8);
    await assertCheckoutInvariants(app.orm);
  });
});
