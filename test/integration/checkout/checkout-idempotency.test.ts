import { CartLine, IdempotencyRecord, Order, OrderStatus, PaymentMethodKind, Variant } from '../../../src/entities';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { availableUnits, buildReadyCart, directSaga, START_CHECKOUT, useCheckoutApp, versionKeyOf } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { testDialect } from '../../support/test-database';
import { pauseBefore } from './saga-pause';

const GUEST = { customerId: null, isAdmin: false };
const concurrentWriters = testDialect() === 'postgresql';

/**
 * The (cart, versionKey) idempotency of confirmCheckout while a first confirm is
 * still running: it is held inside the saga (a fault hook awaiting a promise the
 * test releases), so "concurrent" is a fixed interleaving, not a lucky one.
 * A cash-on-delivery confirm is one transaction holding the cart's row lock.
 * On PostgreSQL a second confirm finds the lock taken and answers from what is
 * committed at once. libSQL has one writer connection: a second confirm can
 * only run after the first commits, so there it waits and then replays.
 */
describe('confirmCheckout idempotency while a confirm is in flight', () => {
  const getApp = useCheckoutApp({ PRICE_DRIFT_BPS: '500' });

  const em = () => getApp().orm.em.fork();
  const commandFor = (cartId: string, versionKey: string) => ({ cartId, versionKey, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY });

  it('when the same key is confirmed while the first confirm is paused mid-saga, then CHECKOUT_IN_PROGRESS; released, one order and the key replays it', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 3, quantity: 1 }] });
    const pause = pauseBefore('take-stock');
    const saga = directSaga(getApp(), { faults: pause.faults });
    const command = commandFor(ready.cart.id, ready.versionKey);

    const first = saga.confirm(em(), command, GUEST);
    await pause.reached;
    const duplicate = saga.confirm(em(), command, GUEST);
    if (concurrentWriters) expect(await duplicate).toMatchObject({ ok: false, failure: { code: ErrorCode.CHECKOUT_IN_PROGRESS } });
    pause.release();
    const placed = await first;
    expect(placed.ok && placed.value).toMatchObject({ replayed: false, order: { status: OrderStatus.PLACED } });
    if (!concurrentWriters)
      expect((await duplicate).ok && ((await duplicate) as { value: unknown }).value).toMatchObject({
        replayed: true,
        order: { id: placed.ok ? placed.value.order.id : 'none' },
      });
    const replay = await saga.confirm(em(), command, GUEST);
    expect(replay.ok && replay.value).toMatchObject({ replayed: true, order: { id: placed.ok ? placed.value.order.id : 'none' } });
    expect(await em().count(Order, {})).toBe(1);
    expect(await availableUnits(getApp().orm, ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a stale key is confirmed while the cart is being checked out, then CART_VERSION_MISMATCH, not CHECKOUT_IN_PROGRESS', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    const staleKey = ready.versionKey;
    await em().nativeUpdate(CartLine, { cart: ready.cart.id }, { quantity: 2 });
    const currentKey = await versionKeyOf(em(), ready.cart.id);
    const pause = pauseBefore('take-stock');
    const saga = directSaga(getApp(), { faults: pause.faults });

    const first = saga.confirm(em(), commandFor(ready.cart.id, currentKey), GUEST);
    await pause.reached;
    const stale = saga.confirm(em(), commandFor(ready.cart.id, staleKey), GUEST);
    if (concurrentWriters) expect(await stale).toMatchObject({ ok: false, failure: { code: ErrorCode.CART_VERSION_MISMATCH, field: 'versionKey' } });
    pause.release();
    expect((await first).ok).toBe(true);
    expect(await stale).toMatchObject({ ok: false, failure: { code: ErrorCode.CART_VERSION_MISMATCH, field: 'versionKey' } });
    expect(await em().count(IdempotencyRecord, { key: { $like: `%${staleKey}` } })).toBe(0);
    expect(await em().count(Order, { status: OrderStatus.PLACED })).toBe(1);
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when the price guard re-stamped the lines (a small drift), then a duplicate of the confirmed key still waits and later replays, never mismatches', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    await getApp().gql(START_CHECKOUT, { input: { cartId: ready.cart.id } });
    await em().nativeUpdate(Variant, { id: ready.variants[0].id }, { price: 1_020 });
    const pause = pauseBefore('take-stock');
    const saga = directSaga(getApp(), { faults: pause.faults });
    const command = commandFor(ready.cart.id, ready.versionKey);

    const first = saga.confirm(em(), command, GUEST);
    await pause.reached;
    const duplicate = saga.confirm(em(), command, GUEST);
    if (concurrentWriters) expect(await duplicate).toMatchObject({ ok: false, failure: { code: ErrorCode.CHECKOUT_IN_PROGRESS } });
    pause.release();
    const placed = await first;
    expect(placed.ok && placed.value.order.subtotal).toBe(1_020);
    if (!concurrentWriters) expect(await duplicate).toMatchObject({ ok: true, value: { replayed: true } });
    const replay = await saga.confirm(em(), command, GUEST);
    expect(replay.ok && replay.value).toMatchObject({ replayed: true, order: { id: placed.ok ? placed.value.order.id : 'none' } });
    await assertCheckoutInvariants(getApp().orm);
  });
});
