import { ReservationStatus } from '../../../src/entities';
import { arrangeCheckout, confirm, stateOf, stripeWrites, usePaymentsHarness } from './payments-harness';

const PUBLIC_URL = 'https://shop.tillgate.test';

describe('hosted checkout sessions as sent to Stripe', () => {
  // buyer.example is the storefront the returnUrl below points to (it must be an allowed origin).
  const h = usePaymentsHarness({ PUBLIC_URL, CHECKOUT_SESSION_TTL: '2h', ALLOWED_RETURN_ORIGINS: 'https://buyer.example' });
  const TWO_HOURS_S = 2 * 60 * 60;

  async function openSession(returnUrl?: string) {
    const { input, ready } = await arrangeCheckout(h.app);
    const before = Math.floor(Date.now() / 1000);
    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT', ...(returnUrl ? { returnUrl } : {}) });
    const after = Math.ceil(Date.now() / 1000);
    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PENDING_PAYMENT' }, payment: { status: 'PENDING' } });
    const [session] = h.stripe.emulator.createdObjects('checkout.session');
    return { answer, ready, session, before, after };
  }

  it('when a hosted checkout opens with a returnUrl, then the session is keyed by the order id, names the order, expires per CHECKOUT_SESSION_TTL and returns to that URL', async () => {
    const { answer, session, before, after } = await openSession('https://buyer.example/thanks?from=cart');
    const orderId: string = answer.order.id;
    expect(stripeWrites(h.stripe, '/v1/checkout/sessions').map((r) => r.idempotencyKey)).toEqual([orderId]);
    expect(session).toMatchObject({
      id: answer.payment.providerReference,
      url: answer.payment.checkoutUrl,
      metadata: { order_id: orderId },
      client_reference_id: orderId,
      amount_total: 3_000,
      success_url: 'https://buyer.example/thanks?from=cart&checkout=success&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://buyer.example/thanks?from=cart&checkout=cancelled',
    });
    expect(session.expires_at).toBeGreaterThanOrEqual(before + TWO_HOURS_S);
    expect(session.expires_at).toBeLessThanOrEqual(after + TWO_HOURS_S);
  });

  it('when a hosted checkout opens without a returnUrl, then the session returns to the order page under PUBLIC_URL', async () => {
    const { answer, session } = await openSession();
    const orderPage = `${PUBLIC_URL}/orders/${answer.order.id}`;
    expect(session).toMatchObject({
      success_url: `${orderPage}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${orderPage}?checkout=cancelled`,
    });
  });

  it('when a hosted checkout opens, then the payment stores the session expiry and the stock stays reserved until exactly then', async () => {
    const { ready, session } = await openSession();
    const expiresAt = session.expires_at * 1000;
    expect(expiresAt - Date.now()).toBeGreaterThan(h.app.config.reservationTtlMs);
    const { payments, reservations } = await stateOf(h.app, ready.cart.id);
    expect(payments[0].expiresAt?.getTime()).toBe(expiresAt);
    expect(reservations.map((r) => [r.status, r.expiresAt.getTime()])).toEqual([[ReservationStatus.ACTIVE, expiresAt]]);
  });
});
