import { Order, Reservation, VoucherRedemption } from '../../../src/entities';
import { assertCheckoutInvariants } from '../../support/invariants';
import { arrangeCheckout, confirm, usePaymentsHarness } from '../payments/payments-harness';

const PUBLIC_URL = 'https://shop.tillgate.test';
const STOREFRONT = 'https://store.example.com';

/**
 * Issue 9, redirects: returnUrl becomes Stripe's success and cancel URLs (and a
 * card's 3-D Secure return_url), so it must stay on the shop's own origins:
 * PUBLIC_URL's, or one of ALLOWED_RETURN_ORIGINS. Anything else is refused
 * before the checkout starts: no order, no hold, no call to Stripe.
 */
describe('confirmCheckout returnUrl', () => {
  const h = usePaymentsHarness({ PUBLIC_URL, ALLOWED_RETURN_ORIGINS: `${STOREFRONT}, https://app.example.com:8443` });

  async function expectNothingHappened(voucherId: string) {
    const em = h.app.orm.em.fork();
    expect(await em.count(Order, {})).toBe(0);
    expect(await em.count(Reservation, {})).toBe(0);
    expect(await em.count(VoucherRedemption, { voucher: voucherId })).toBe(0);
    expect(h.stripe.emulator.createdObjects('checkout.session')).toEqual([]);
    expect(h.stripe.emulator.createdObjects('payment_intent')).toEqual([]);
    await assertCheckoutInvariants(h.app.orm);
  }

  it.each([
    ['another site', 'https://evil.example/phish'],
    ['a look-alike host', 'https://shop.tillgate.test.evil.example/thanks'],
    ['credentials pointing elsewhere', 'https://shop.tillgate.test@evil.example/thanks'],
    ['credentials on the shop', 'https://someone:secret@shop.tillgate.test/thanks'],
    ['the shop over plain http', 'http://shop.tillgate.test/thanks'],
    ['another port of an allowed origin', 'https://store.example.com:444/thanks'],
    ['a scheme-relative URL', '//evil.example/thanks'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['an empty string', ''],
  ])('when a hosted checkout names %s as returnUrl, then VALIDATION_FAILED and nothing changes', async (_, returnUrl) => {
    const { input, voucher } = await arrangeCheckout(h.app);

    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT', returnUrl });

    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'returnUrl' });
    await expectNothingHappened(voucher.id);
  });

  it('when a card payment names an off-origin returnUrl, then it is refused before any PaymentIntent', async () => {
    const { input, voucher } = await arrangeCheckout(h.app);

    const answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa', returnUrl: 'https://evil.example/3ds' });

    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED', field: 'returnUrl' });
    await expectNothingHappened(voucher.id);
  });

  it('when a refused returnUrl is corrected, then the same cart and key check out (the refusal held nothing)', async () => {
    const { input } = await arrangeCheckout(h.app);
    await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT', returnUrl: 'https://evil.example/' });

    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT', returnUrl: `${PUBLIC_URL}/thanks` });

    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PENDING_PAYMENT' } });
  });

  it.each([
    ['a page under PUBLIC_URL', `${PUBLIC_URL}/orders/thanks?step=done`],
    ['an allowed storefront origin', `${STOREFRONT}/checkout/return`],
    ['an allowed origin with its port', 'https://app.example.com:8443/return'],
  ])('when a hosted checkout returns to %s, then the session is opened with it', async (_, returnUrl) => {
    const { input } = await arrangeCheckout(h.app);

    const answer = await confirm(h.app, { ...input, paymentMethod: 'HOSTED_CHECKOUT', returnUrl });

    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PENDING_PAYMENT' }, payment: { status: 'PENDING' } });
    const [session] = h.stripe.emulator.createdObjects('checkout.session');
    const separator = returnUrl.includes('?') ? '&' : '?';
    expect(session).toMatchObject({
      success_url: `${returnUrl}${separator}checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${returnUrl}${separator}checkout=cancelled`,
    });
  });
});
