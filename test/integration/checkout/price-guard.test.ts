import { Cart, Order, OrderStatus, Variant } from '../../../src/entities';
import type { SagaFaults } from '../../../src/services/saga/saga-types';
import type { Clock } from '../../../src/services/shared/clock';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { FailureSignal, userFailure } from '../../../src/services/shared/outcome';
import { cartApi } from '../../factories/cart.factory';
import { buildProduct } from '../../factories/catalog.factory';
import { buildReadyCart, confirmViaApi, START_CHECKOUT, versionKeyOf, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';

const MINUTE = 60_000;

describe('confirmCheckout price guard', () => {
  /** The gateway's clock, moved forward by tests so a preview can age without sleeping. */
  const clock: Clock & { offsetMs: number } = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const faults: SagaFaults = {};
  const getApp = useCheckoutApp({ PRICE_DRIFT_BPS: '500', PRICE_STALE_AFTER: '10m', RESERVATION_TTL: '15m' }, { clock, checkout: { faults } });
  beforeEach(() => {
    clock.offsetMs = 0;
    faults.beforeStep = undefined;
  });

  const em = () => getApp().orm.em.fork();
  const previewedCart = async (price: number) => {
    const ready = await buildReadyCart(em(), { lines: [{ price, stock: 5, quantity: 1 }] });
    expect((await getApp().gql(START_CHECKOUT, { input: { cartId: ready.cart.id } })).data.startCheckout.__typename).toBe('CheckoutPreview');
    return ready;
  };
  const setPrice = (variantId: string, price: number) => em().nativeUpdate(Variant, { id: variantId }, { price });
  const confirm = (ready: { cart: { id: string }; versionKey: string }, extra: Record<string, unknown> = {}) =>
    confirmViaApi(getApp(), { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY', ...extra });

  it('when a price moved beyond the drift, then PriceChangedError carries the changes and the new key, and the new key confirms', async () => {
    const ready = await previewedCart(1_000);
    await setPrice(ready.variants[0].id, 1_100);

    const refused = await confirm(ready);

    expect(refused).toMatchObject({
      __typename: 'PriceChangedError',
      errorCode: 'PRICE_CHANGED',
      changes: [{ variantId: ready.variants[0].id, previous: { amount: 1_000 }, current: { amount: 1_100 } }],
    });
    expect(refused.versionKey).toBe(await versionKeyOf(em(), ready.cart.id));
    expect(refused.versionKey).not.toBe(ready.versionKey);
    // The preview's reservations stay: the buyer is still checking out.
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true });

    const accepted = await confirm({ cart: ready.cart, versionKey: refused.versionKey }, { acknowledgePriceChange: true });
    expect(accepted).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED', totals: { subtotal: { amount: 1_100 } } } });
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a price moved within the drift on a fresh preview, then confirm accepts the current price', async () => {
    const ready = await previewedCart(1_000);
    await setPrice(ready.variants[0].id, 1_040);

    const result = await confirm(ready);

    expect(result).toMatchObject({ __typename: 'CheckoutConfirmation', order: { totals: { subtotal: { amount: 1_040 } } } });
  });

  it('when a price moved by exactly PRICE_DRIFT_BPS, then it is still within the drift; one minor unit more is beyond it', async () => {
    const [up, down, beyond] = [await previewedCart(1_000), await previewedCart(1_000), await previewedCart(1_000)];
    await setPrice(up.variants[0].id, 1_050); // +500 bps exactly
    await setPrice(down.variants[0].id, 950); // −500 bps exactly
    await setPrice(beyond.variants[0].id, 1_051); // +510 bps

    expect(await confirm(up)).toMatchObject({ __typename: 'CheckoutConfirmation', order: { totals: { subtotal: { amount: 1_050 } } } });
    expect(await confirm(down)).toMatchObject({ __typename: 'CheckoutConfirmation', order: { totals: { subtotal: { amount: 950 } } } });
    expect(await confirm(beyond)).toMatchObject({ __typename: 'PriceChangedError', changes: [{ previous: { amount: 1_000 }, current: { amount: 1_051 } }] });
  });

  it('when the preview is older than PRICE_STALE_AFTER and a price moved even within the drift, then PriceChangedError unless acknowledgePriceChange', async () => {
    const [fresh, unacknowledged, acknowledged] = [await previewedCart(1_000), await previewedCart(1_000), await previewedCart(1_000)];
    for (const ready of [fresh, unacknowledged, acknowledged]) await setPrice(ready.variants[0].id, 1_010); // +100 bps
    clock.offsetMs = 9 * MINUTE;
    expect(await confirm(fresh)).toMatchObject({ __typename: 'CheckoutConfirmation', order: { totals: { subtotal: { amount: 1_010 } } } });

    clock.offsetMs = 11 * MINUTE;
    const refused = await confirm(unacknowledged);
    const accepted = await confirm(acknowledged, { acknowledgePriceChange: true });

    expect(refused).toMatchObject({ __typename: 'PriceChangedError', changes: [{ previous: { amount: 1_000 }, current: { amount: 1_010 } }] });
    expect(refused.versionKey).toBe(await versionKeyOf(em(), unacknowledged.cart.id));
    expect(accepted).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED', totals: { subtotal: { amount: 1_010 } } } });
    await assertCheckoutInvariants(getApp().orm, { allowPreviewReservations: true, now: clock.now() });
  });

  it('when the cart was never previewed and a price moved at all, then the buyer must acknowledge it', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    await setPrice(ready.variants[0].id, 990);
    const result = await confirm(ready);
    expect(result).toMatchObject({ __typename: 'PriceChangedError', changes: [{ previous: { amount: 1_000 }, current: { amount: 990 } }] });
  });

  it('when the cart changes after a failed confirm, then its new key is a new attempt with a new order and the old key is CART_VERSION_MISMATCH', async () => {
    const ready = await buildReadyCart(em(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    const {
      variants: [added],
    } = await buildProduct(em(), { variants: [{ price: 300, currency: 'EUR', stock: 5 }] });
    faults.beforeStep = (stepId) => {
      if (stepId === 'place-order') throw new FailureSignal(userFailure(ErrorCode.PAYMENT_DECLINED, 'The card was declined.'));
    };
    expect(await confirm(ready)).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_DECLINED' });
    faults.beforeStep = undefined;
    // Cash on delivery is one transaction: the failed attempt rolled back whole and left no order.
    expect(await em().count(Order, { cartId: ready.cart.id })).toBe(0);

    const changed = await cartApi(getApp()).addLine(ready.cart.id, added.id, 1);
    expect(changed.versionKey).not.toBe(ready.versionKey);
    expect(await confirm(ready)).toMatchObject({ __typename: 'UserError', errorCode: 'CART_VERSION_MISMATCH', field: 'versionKey' });

    const placed = await confirm({ cart: ready.cart, versionKey: changed.versionKey });

    expect(placed).toMatchObject({ __typename: 'CheckoutConfirmation', replayed: false, order: { status: 'PLACED', totals: { subtotal: { amount: 1_300 } } } });
    expect(await confirm({ cart: ready.cart, versionKey: changed.versionKey })).toMatchObject({ replayed: true, order: { id: placed.order.id } });
    expect(await confirm(ready)).toMatchObject({ __typename: 'UserError', errorCode: 'CART_VERSION_MISMATCH' });
    expect(await em().count(Order, { cartId: ready.cart.id, status: OrderStatus.PLACED })).toBe(1);
    expect((await em().findOneOrFail(Cart, { id: ready.cart.id })).status).toBe('CONVERTED');
    await assertCheckoutInvariants(getApp().orm);
  });
});
