import {
  License,
  LicenseStatus,
  Order,
  OrderStatus,
  OutboxEvent,
  Payment,
  PaymentStatus,
  Reservation,
  SagaExecution,
  Variant,
  VoucherKind,
  VoucherRedemption,
} from '../../../src/entities';
import { settleOrderPayment } from '../../../src/services/payments/settlement/settle-order-payment';
import { buildDigitalVariant, buildProduct, buildVoucher } from '../../factories/catalog.factory';
import { START_CHECKOUT } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { confirm, usePaymentsHarness } from '../payments/payments-harness';
import { digitalCart, licensesOf, statusesOf } from './digital-goods-harness';

const VERIFY = 'query($key: String!) { verifyLicense(key: $key) { valid status } }';
const APPLY_VOUCHER = 'mutation($input: CartVoucherInput!) { applyVoucher(input: $input) { __typename ... on Cart { versionKey } } }';

/**
 * Issue 20, "nothing is granted before the money is": licenses are issued only
 * for an order whose payment is captured (or that store credit covers), on
 * every route that places it; cash on delivery cannot pay for digital items.
 */
describe('licenses only for money that is in', () => {
  const h = usePaymentsHarness();
  const em = () => h.app.orm.em.fork();
  const eventsOf = (type: string) => h.stripe.emulator.events.filter((e) => e.type === type);

  /** Everything a checkout holds or writes, to compare before and after a refused one. */
  async function heldState(variantIds: string[]) {
    const reservations = await em().find(Reservation, {}, { orderBy: { id: 'asc' } });
    const variants = await em().find(Variant, { id: { $in: variantIds } }, { orderBy: { id: 'asc' } });
    return {
      orders: await em().count(Order, {}),
      sagas: await em().count(SagaExecution, {}),
      events: await em().count(OutboxEvent, {}),
      voucherUses: await em().count(VoucherRedemption, {}),
      licenses: await em().count(License, {}),
      licensesClaimed: variants.map((v) => v.licensesClaimed),
      reservations: reservations.map((r) => [r.id, r.status, r.quantity, r.expiresAt.getTime()]),
    };
  }

  it('when a guest confirms a previewed cart holding a DIGITAL line cash on delivery, then VALIDATION_FAILED says why and nothing more is held: no order, voucher use, license unit or license', async () => {
    const ebook = await buildDigitalVariant(em(), { price: 99_900, maxLicenses: 5 });
    const {
      variants: [mug],
    } = await buildProduct(em(), { variants: [{ price: 900, currency: 'EUR', stock: 5 }] });
    const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100, maxRedemptions: 1 });
    const cart = await digitalCart(
      h.app,
      [
        { variant: ebook, quantity: 5 },
        { variant: mug, quantity: 1 },
      ],
      { shipping: true },
    );
    expect((await h.app.gql(APPLY_VOUCHER, { input: { cartId: cart.cartId, code: voucher.code } })).data.applyVoucher.__typename).toBe('Cart');
    const preview = (await h.app.gql(START_CHECKOUT, { input: { cartId: cart.cartId } })).data.startCheckout;
    expect(preview.__typename).toBe('CheckoutPreview');
    const before = await heldState([ebook.id]);

    const refused = await confirm(h.app, { cartId: cart.cartId, versionKey: preview.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });

    expect(refused).toEqual({
      __typename: 'UserError',
      errorCode: 'VALIDATION_FAILED',
      field: 'paymentMethod',
      message: 'Cash on delivery cannot pay for digital items, which are issued as soon as the order is placed: pay by card, hosted checkout or store credit.',
    });
    // Only the preview's own hold of the mug, exactly as it was; no saga row, no outbox event.
    expect(await heldState([ebook.id])).toEqual(before);
    expect(before).toMatchObject({ orders: 0, voucherUses: 0, licenses: 0, licensesClaimed: [0] });
    await assertCheckoutInvariants(h.app.orm, { allowPreviewReservations: true });
  });

  it('when a signed-in customer confirms an unpreviewed digital-only cart cash on delivery, then it is refused the same way and nothing at all is reserved or claimed', async () => {
    const customer = await h.app.customer();
    const ebook = await buildDigitalVariant(em(), { price: 1_500, maxLicenses: 20 });
    const cart = await digitalCart(h.app, [{ variant: ebook, quantity: 20 }]);
    await h.app.gql(
      'mutation($input: AttachCartInput!) { attachCart(input: $input) { __typename } }',
      { input: { cartId: cart.cartId } },
      { token: customer.token },
    );
    const versionKey = (await h.app.gql('query($id: ID!) { cart(id: $id) { versionKey } }', { id: cart.cartId }, { token: customer.token })).data.cart
      .versionKey;

    const refused = await confirm(h.app, { cartId: cart.cartId, versionKey, paymentMethod: 'CASH_ON_DELIVERY' }, customer.token);

    expect(refused).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'paymentMethod' });
    expect(await heldState([ebook.id])).toMatchObject({ orders: 0, sagas: 0, licenses: 0, licensesClaimed: [0], reservations: [] });
  });

  it('when a card needs 3-D Secure, then no license exists while the buyer authenticates nor after Stripe took the money, only once the webhook settles it', async () => {
    const ebook = await buildDigitalVariant(em(), { price: 2_000, maxLicenses: 10 });
    const cart = await digitalCart(h.app, [{ variant: ebook, quantity: 2 }]);

    const answer = await confirm(h.app, {
      cartId: cart.cartId,
      versionKey: cart.versionKey,
      paymentMethod: 'CARD',
      stripePaymentMethodId: 'pm_card_authenticationRequired',
    });
    expect(answer).toMatchObject({ order: { status: 'PENDING_PAYMENT' }, payment: { status: 'REQUIRES_ACTION' } });
    expect(await licensesOf(h.app, answer.order.id)).toEqual([]);

    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    expect((await em().findOneOrFail(Order, { id: answer.order.id })).status).toBe(OrderStatus.PENDING_PAYMENT);
    expect(await licensesOf(h.app, answer.order.id)).toEqual([]);

    expect(await h.stripe.emulator.deliverEvent(eventsOf('payment_intent.succeeded')[0].id)).toBe(200);
    expect(await statusesOf(h.app, answer.order.id)).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.ACTIVE],
    ]);
    const payment = await em().findOneOrFail(Payment, { orderId: answer.order.id });
    expect([payment.status, payment.captured]).toEqual([PaymentStatus.CAPTURED, 4_000]);
    const [first] = await licensesOf(h.app, answer.order.id);
    expect((await h.app.gql(VERIFY, { key: first.key })).data.verifyLicense).toEqual({ valid: true, status: 'ACTIVE' });
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a hosted checkout is paid, then the licenses come with its webhook, not with the payment page', async () => {
    const ebook = await buildDigitalVariant(em(), { price: 1_000 });
    const cart = await digitalCart(h.app, [{ variant: ebook, quantity: 3 }]);
    const answer = await confirm(h.app, { cartId: cart.cartId, versionKey: cart.versionKey, paymentMethod: 'HOSTED_CHECKOUT' });

    await h.stripe.emulator.completeCheckoutSession(answer.payment.providerReference);
    expect(await licensesOf(h.app, answer.order.id)).toEqual([]);

    expect(await h.stripe.emulator.deliverEvent(eventsOf('checkout.session.completed')[0].id)).toBe(200);
    expect(await licensesOf(h.app, answer.order.id)).toHaveLength(3);
    expect((await em().findOneOrFail(Payment, { orderId: answer.order.id })).status).toBe(PaymentStatus.CAPTURED);
    await assertCheckoutInvariants(h.app.orm);
  });

  it("when a digital order's card is only authorized (manual capture), then settling it places nothing: the order is cancelled, the authorization voided and no license issued", async () => {
    const ebook = await buildDigitalVariant(em(), { price: 2_500, maxLicenses: 3 });
    const cart = await digitalCart(h.app, [{ variant: ebook, quantity: 1 }]);
    const pending = await confirm(h.app, {
      cartId: cart.cartId,
      versionKey: cart.versionKey,
      paymentMethod: 'CARD',
      stripePaymentMethodId: 'pm_card_authenticationRequired',
    });
    expect((await em().findOneOrFail(Variant, { id: ebook.id })).licensesClaimed).toBe(1);
    // The money is authorized and held at Stripe, not captured (an intent made for capture later, as from a dashboard).
    const authorization = await h.stripe.stripe.paymentIntents.create({
      amount: 2_500,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { order_id: pending.order.id },
    });
    expect(authorization.status).toBe('requires_capture');
    const payments = h.app.tillgate.deps.payments!;

    const truth = await payments.lookupPayment(pending.order.id, authorization.id);
    const settled = await settleOrderPayment({ ...h.app.tillgate.deps, em: em(), payments }, pending.order.id, truth);

    expect(truth?.status).toBe('AUTHORIZED');
    expect(settled).toEqual({ kind: 'refunded-unplaceable-order', refundId: 'authorization-cancelled' });
    expect(await em().findOneOrFail(Order, { id: pending.order.id })).toMatchObject({
      status: OrderStatus.CANCELLED,
      cancelReason: 'digital goods with a payment authorized but not captured',
    });
    expect(await licensesOf(h.app, pending.order.id)).toEqual([]);
    expect((await em().findOneOrFail(Variant, { id: ebook.id })).licensesClaimed).toBe(0);
    expect((await h.stripe.stripe.paymentIntents.retrieve(authorization.id)).status).toBe('canceled');
    await assertCheckoutInvariants(h.app.orm);
  });
});
