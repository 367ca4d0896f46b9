import { Cart, CartStatus, Order, OrderStatus, RedemptionStatus, Reservation, ReservationStatus, StockLevel, VoucherRedemption } from '../../../src/entities';
import { buildReadyCart } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { arrangeCheckout, confirm, usePaymentsHarness } from '../payments/payments-harness';

const CANCEL = `mutation($input: CancelOrderInput!) {
  cancelOrder(input: $input) { __typename ... on Order { id status } ... on UserError { errorCode message field } }
}`;

/**
 * Issue 9: a guest's cash-on-delivery order held its stock for good, since only
 * an admin could cancel it. A guest proves the order is theirs with its order
 * token, or with the id of the cart it was placed from (the same capability
 * that let them check it out).
 */
describe('cancelOrder by a guest with its order token or cart id', () => {
  const h = usePaymentsHarness();
  const em = () => h.app.orm.em.fork();
  const cancel = (input: Record<string, unknown>, token?: string) => h.app.gql(CANCEL, { input: { reason: 'changed my mind', ...input } }, { token });

  async function guestCashOrder() {
    const ready = await buildReadyCart(em(), { lines: [{ price: 2_000, stock: 2, quantity: 2 }] });
    const answer = await confirm(h.app, { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(answer.order.status).toBe('PLACED');
    return { ready, orderId: answer.order.id as string };
  }
  const onHand = async (variantId: string) => (await em().findOneOrFail(StockLevel, { variant: variantId })).onHand;
  const statusOf = async (orderId: string) => (await em().findOneOrFail(Order, { id: orderId })).status;

  it('when a guest cancels its placed cash-on-delivery order with the cart id, then it is cancelled and the stock is back on sale', async () => {
    const { ready, orderId } = await guestCashOrder();
    expect(await onHand(ready.variants[0].id)).toBe(0);

    const result = (await cancel({ orderId, cartId: ready.cart.id })).data.cancelOrder;

    expect(result).toEqual({ __typename: 'Order', id: orderId, status: 'CANCELLED' });
    expect(await onHand(ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a guest cancels its pending hosted-checkout order with the cart id, then the held stock and voucher are released', async () => {
    const { input, voucher } = await arrangeCheckout(h.app);
    const opened = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT' });
    expect(opened.order.status).toBe('PENDING_PAYMENT');

    const result = (await cancel({ orderId: opened.order.id, cartId: input.cartId })).data.cancelOrder;

    expect(result).toMatchObject({ __typename: 'Order', status: 'CANCELLED' });
    expect((await em().find(Reservation, { cartId: input.cartId })).map((r) => r.status)).toEqual([ReservationStatus.RELEASED]);
    expect((await em().findOneOrFail(VoucherRedemption, { voucher: voucher.id })).status).toBe(RedemptionStatus.RELEASED);
    // As when a session expires: the cart is open again and its claim freed, so the guest can try again.
    expect((await em().findOneOrFail(Cart, { id: input.cartId })).status).toBe(CartStatus.OPEN);
    await assertCheckoutInvariants(h.app.orm);
  });

  it("when a guest cancels with the orderToken its confirmation answered, then it is cancelled; another order's token is NOT_FOUND", async () => {
    const first = await guestCashOrder();
    const second = await guestCashOrder();
    const tokenOf = async (orderId: string) => {
      // The confirmation's token is derived from the order id, so a replay of its confirm answers it again.
      const replay = await h.app.gql(
        `mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) { ... on CheckoutConfirmation { orderToken order { id } } } }`,
        {
          input: {
            cartId: (await em().findOneOrFail(Order, { id: orderId })).cartId,
            versionKey: (await em().findOneOrFail(Order, { id: orderId })).cartVersionKey,
            paymentMethod: 'CASH_ON_DELIVERY',
          },
        },
      );
      expect(replay.data.confirmCheckout.order.id).toBe(orderId);
      return replay.data.confirmCheckout.orderToken as string;
    };

    expect((await cancel({ orderId: first.orderId, orderToken: await tokenOf(second.orderId) })).data.cancelOrder).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(await statusOf(first.orderId)).toBe(OrderStatus.PLACED);

    const result = (await cancel({ orderId: first.orderId, orderToken: await tokenOf(first.orderId) })).data.cancelOrder;

    expect(result).toEqual({ __typename: 'Order', id: first.orderId, status: 'CANCELLED' });
    expect(await onHand(first.ready.variants[0].id)).toBe(2);
    await assertCheckoutInvariants(h.app.orm);
  });

  it("when the cart id is not the order's, then NOT_FOUND and the order stands", async () => {
    const { ready, orderId } = await guestCashOrder();
    const other = await buildReadyCart(em(), { lines: [{ price: 500, stock: 1, quantity: 1 }] });

    expect((await cancel({ orderId, cartId: other.cart.id })).data.cancelOrder).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect((await cancel({ orderId, cartId: 'not-a-cart-id' })).data.cancelOrder).toMatchObject({ errorCode: 'NOT_FOUND' });

    expect(await statusOf(orderId)).toBe(OrderStatus.PLACED);
    expect(await onHand(ready.variants[0].id)).toBe(0);
  });

  it('when an anonymous caller names neither a cart id nor an order token, then it must sign in, as before', async () => {
    const { orderId } = await guestCashOrder();

    const response = await cancel({ orderId });

    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await statusOf(orderId)).toBe(OrderStatus.PLACED);
  });

  it("when someone names a customer's order with its cart id, then NOT_FOUND: a customer's order is only cancelled by its owner or an admin", async () => {
    const customer = await h.app.customer();
    const ready = await buildReadyCart(em(), { customerId: customer.id, lines: [{ price: 2_000, stock: 2, quantity: 1 }] });
    const placed = await confirm(h.app, { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, customer.token);
    const stranger = await h.app.customer();

    expect((await cancel({ orderId: placed.order.id, cartId: ready.cart.id })).data.cancelOrder).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect((await cancel({ orderId: placed.order.id, cartId: ready.cart.id }, stranger.token)).data.cancelOrder).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(await statusOf(placed.order.id)).toBe(OrderStatus.PLACED);
  });

  it('when a signed-in customer names no cart id for a guest order, then NOT_FOUND', async () => {
    const { orderId } = await guestCashOrder();
    const customer = await h.app.customer();

    expect((await cancel({ orderId }, customer.token)).data.cancelOrder).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(await statusOf(orderId)).toBe(OrderStatus.PLACED);
  });

  it('when a guest order was paid by card, then the cart id cannot cancel it: INVALID_STATE_TRANSITION, as for an owner', async () => {
    const { input } = await arrangeCheckout(h.app);
    const paid = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    expect(paid.order.status).toBe('PLACED');

    expect((await cancel({ orderId: paid.order.id, cartId: input.cartId })).data.cancelOrder).toMatchObject({ errorCode: 'INVALID_STATE_TRANSITION' });
    expect(await statusOf(paid.order.id)).toBe(OrderStatus.PLACED);
  });
});
