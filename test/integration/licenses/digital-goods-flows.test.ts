import { LicenseStatus, Order, OrderStatus, SellerTransfer, TransferStatus } from '../../../src/entities';
import { SellerTransferWorker } from '../../../src/services/workers/seller-transfer.worker';
import { TransferReversalWorker } from '../../../src/services/workers/transfer-reversal.worker';
import { SimulatedCrash } from '../../../src/services/saga/saga-types';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { buildDigitalVariant, buildProduct, buildSeller } from '../../factories/catalog.factory';
import { availableUnits } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { confirm, usePaymentsHarness } from '../payments/payments-harness';
import { refundOrder } from '../refunds/refund-api';
import { digitalCart, licenseEvents, licensesOf, statusesOf } from './digital-goods-harness';

const MINUTE = 60_000;

/** The three marketplace flows, end to end through Stripe's webhooks, on both dialects. */
describe('digital goods: licenses through card payments, webhooks, refunds and payouts', () => {
  const h = usePaymentsHarness({ SAGA_RECOVERY_GRACE: '0ms', PLATFORM_FEE_BPS: '1000' });
  const eventsOf = (type: string) => h.stripe.emulator.events.filter((e) => e.type === type);
  const deliverThrice = async (eventId: string) => [
    await h.stripe.emulator.deliverEvent(eventId),
    await h.stripe.emulator.deliverEvent(eventId),
    await h.stripe.emulator.deliverEvent(eventId),
  ];
  const settings = { maxRetries: 3, backoffBaseMs: MINUTE, backoffMaxMs: 3 * MINUTE };
  const workers = () => {
    const { deps } = h.app.tillgate;
    const payments = deps.payments!;
    return {
      transfers: new SellerTransferWorker(deps, payments, { platformFeeBps: 1_000, ...settings }),
      reversals: new TransferReversalWorker(deps, payments, settings),
    };
  };
  const transfersOf = (orderId: string) => h.app.orm.em.fork().find(SellerTransfer, { orderId }, { orderBy: { amount: 'desc' } });

  /** A seller's e-book, 3 units bought by card with 3-D Secure, the payment_intent.succeeded webhook delivered three times. */
  async function paidDigitalOrder(units = 3) {
    const seller = await buildSeller(h.app.orm.em.fork());
    const variant = await buildDigitalVariant(h.app.orm.em.fork(), { price: 2_000, seller });
    const cart = await digitalCart(h.app, [{ variant, quantity: units }]);
    const answer = await confirm(h.app, {
      cartId: cart.cartId,
      versionKey: cart.versionKey,
      paymentMethod: 'CARD',
      stripePaymentMethodId: 'pm_card_authenticationRequired',
    });
    expect(answer).toMatchObject({ order: { status: 'PENDING_PAYMENT' }, payment: { status: 'REQUIRES_ACTION' } });
    expect(await licensesOf(h.app, answer.order.id)).toEqual([]);
    await h.stripe.emulator.completeAuthentication(answer.payment.providerReference, true);
    expect(await deliverThrice(eventsOf('payment_intent.succeeded')[0].id)).toEqual([200, 200, 200]);
    return { orderId: answer.order.id as string, seller, variant };
  }

  it('when a digital variant is paid by card and the webhook comes three times, then the order is PLACED once with one license per unit and the seller transfer COMPLETES', async () => {
    const { orderId, seller } = await paidDigitalOrder(3);

    const order = await h.app.orm.em.fork().findOneOrFail(Order, { id: orderId });
    expect(order).toMatchObject({ status: OrderStatus.PLACED, shipping: 0 });
    const licenses = await licensesOf(h.app, orderId);
    expect(licenses.map((l) => [l.unitIndex, l.status])).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.ACTIVE],
      [2, LicenseStatus.ACTIVE],
    ]);
    expect(new Set(licenses.map((l) => l.key)).size).toBe(3);
    expect(licenses.every((l) => /^TGL-[A-Z2-7]{32}$/.test(l.key))).toBe(true);
    expect(await licenseEvents(h.app, 'license.issued', orderId)).toBe(3);

    await workers().transfers.runOnce(h.app.orm.em.fork(), new Date());
    expect((await transfersOf(orderId)).map((t) => [t.sellerId, t.amount, t.status])).toEqual([[seller.id, 5_400, TransferStatus.COMPLETED]]);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a hosted checkout of digital units is paid and both events arrive three times each, then one order holds exactly N licenses', async () => {
    const variant = await buildDigitalVariant(h.app.orm.em.fork(), { price: 1_000 });
    const cart = await digitalCart(h.app, [{ variant, quantity: 2 }]);
    const answer = await confirm(h.app, { cartId: cart.cartId, versionKey: cart.versionKey, paymentMethod: 'HOSTED_CHECKOUT' });
    await h.stripe.emulator.completeCheckoutSession(answer.payment.providerReference);

    const [completed] = eventsOf('checkout.session.completed');
    const [succeeded] = eventsOf('payment_intent.succeeded');
    expect([...(await deliverThrice(completed.id)), ...(await deliverThrice(succeeded.id))]).toEqual([200, 200, 200, 200, 200, 200]);

    expect(await statusesOf(h.app, answer.order.id)).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.ACTIVE],
    ]);
    expect(await licenseEvents(h.app, 'license.issued', answer.order.id)).toBe(2);
  });

  it('when a mixed cart is paid through a hosted checkout, then the webhook takes the physical units from stock and licenses the digital ones', async () => {
    const ebook = await buildDigitalVariant(h.app.orm.em.fork(), { price: 1_000 });
    const {
      variants: [mug],
    } = await buildProduct(h.app.orm.em.fork(), { variants: [{ price: 900, currency: 'EUR', stock: 4 }] });
    const cart = await digitalCart(
      h.app,
      [
        { variant: ebook, quantity: 2 },
        { variant: mug, quantity: 3 },
      ],
      { shipping: true },
    );
    const answer = await confirm(h.app, { cartId: cart.cartId, versionKey: cart.versionKey, paymentMethod: 'HOSTED_CHECKOUT' });
    await h.stripe.emulator.completeCheckoutSession(answer.payment.providerReference);

    expect(await deliverThrice(eventsOf('checkout.session.completed')[0].id)).toEqual([200, 200, 200]);

    expect((await h.app.orm.em.fork().findOneOrFail(Order, { id: answer.order.id })).status).toBe(OrderStatus.PLACED);
    expect(await statusesOf(h.app, answer.order.id)).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.ACTIVE],
    ]);
    expect(await availableUnits(h.app.orm, mug.id)).toBe(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a completed digital order is fully refunded, then it is REFUNDED, every license REVOKED with an event, and the transfer REVERSED', async () => {
    const { orderId } = await paidDigitalOrder(2);
    const { transfers, reversals } = workers();
    await transfers.runOnce(h.app.orm.em.fork(), new Date());

    const refund = await refundOrder(h.app, { orderId, idempotencyKey: `full-${orderId}` });
    await reversals.runOnce(h.app.orm.em.fork(), new Date());

    expect(refund.status).toBe('SUCCEEDED');
    expect((await h.app.orm.em.fork().findOneOrFail(Order, { id: orderId })).status).toBe(OrderStatus.REFUNDED);
    const licenses = await licensesOf(h.app, orderId);
    expect(licenses.map((l) => [l.status, l.revokedByRefundId])).toEqual([
      [LicenseStatus.REVOKED, refund.id],
      [LicenseStatus.REVOKED, refund.id],
    ]);
    expect(await licenseEvents(h.app, 'license.revoked', orderId)).toBe(2);
    expect((await transfersOf(orderId)).map((t) => [t.status, t.reversedAmount])).toEqual([[TransferStatus.REVERSED, wholeTransfer(licenses.length)]]);
  });

  it('when the process dies after the charge but before placement, then recovery places the order and issues its licenses once', async () => {
    const variant = await buildDigitalVariant(h.app.orm.em.fork(), { price: 1_000 });
    const cart = await digitalCart(h.app, [{ variant, quantity: 2 }]);
    h.faults.beforeStep = (stepId) => {
      if (stepId === 'finalize') throw new SimulatedCrash('killed before finalize');
    };
    const crashed = await h.app.gql('mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) { __typename } }', {
      input: { cartId: cart.cartId, versionKey: cart.versionKey, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' },
    });
    expect(crashed.errors?.length).toBeGreaterThan(0);
    h.faults.beforeStep = undefined;
    const [pending] = await h.app.orm.em.fork().find(Order, { cartId: cart.cartId });
    expect(pending.status).toBe(OrderStatus.PENDING_PAYMENT);
    expect(await licensesOf(h.app, pending.id)).toEqual([]);

    const soon = new Date(Date.now() + 1_000);
    expect(await recoverStaleSagas(h.app.orm.em.fork(), h.app.tillgate.deps, soon)).toBe(1);
    expect(await recoverStaleSagas(h.app.orm.em.fork(), h.app.tillgate.deps, soon)).toBe(0);

    expect(await statusesOf(h.app, pending.id)).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.ACTIVE],
    ]);
    expect(await licenseEvents(h.app, 'license.issued', pending.id)).toBe(2);
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(1);
    await assertCheckoutInvariants(h.app.orm);
  });
});

/** A seller's whole transfer for `units` e-books at 2,000 with a 10% platform fee. */
const wholeTransfer = (units: number): number => units * 2_000 - Math.round((units * 2_000) / 10);
