import Stripe from 'stripe';
import { loadConfig } from '../../../src/config';
import { PaymentMethodKind } from '../../../src/entities';
import { providerKeys } from '../../../src/services/payments/idempotency-keys';
import { PaymentFailure, type OffSessionChargeRequest, type PaymentRequest } from '../../../src/services/payments/payment-port';
import { StripePayments } from '../../../src/services/payments/stripe/stripe-payments';
import { systemClock } from '../../../src/services/shared/clock';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { startStripeEmulator, type StripeEmulator } from '../../../tools/stripe-emulator';

const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const PERIOD_START = new Date('2026-03-31T00:00:00.000Z');

describe('the payment port: provider customers, saved cards and off-session charges (real SDK, emulator)', () => {
  let emu: StripeEmulator;
  let port: StripePayments;
  beforeEach(async () => {
    emu = await startStripeEmulator({ port: 0 });
    const stripe = new Stripe('sk_test_unit', { host: emu.host, port: emu.port, protocol: 'http', maxNetworkRetries: 0, timeout: 1_000 });
    port = new StripePayments(stripe, { config: loadConfig({}), clock: systemClock, retryPolicy: FAST });
  });
  afterEach(() => emu.close());

  const firstPayment = (customer: string, overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
    orderId: 'order-1',
    idempotencyKey: 'order-1',
    kind: PaymentMethodKind.CARD,
    amount: 1_500,
    currency: 'EUR',
    email: 'buyer@example.com',
    paymentMethodId: 'pm_card_visa',
    returnUrl: null,
    saveCardFor: customer,
    ...overrides,
  });

  /** A customer with a card saved by a first payment: what a plan checkout leaves behind. */
  async function customerWithSavedCard(): Promise<{ customer: string; paymentMethod: string }> {
    const customer = await port.createCustomer('c1', 'buyer@example.com');
    const attempt = await port.startPayment(firstPayment(customer));
    return { customer, paymentMethod: attempt.savedPaymentMethodId as string };
  }

  const renewal = (saved: { customer: string; paymentMethod: string }, attempt: number): OffSessionChargeRequest => ({
    ...saved,
    amount: 1_500,
    currency: 'EUR',
    idempotencyKey: providerKeys.renewalCharge('sub-1', PERIOD_START, attempt),
    metadata: { order_id: `renewal-order-${attempt}`, subscription_id: 'sub-1' },
  });

  it('when a customer is created twice for one of our customers, then Stripe holds one, made with a key derived from our id', async () => {
    const first = await port.createCustomer('c1', 'buyer@example.com');
    const second = await port.createCustomer('c1', 'buyer@example.com');
    const other = await port.createCustomer('c2', 'other@example.com');

    expect(first).toMatch(/^cus_/);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect(emu.createdObjects('customer').map((customer: Stripe.Customer) => customer.metadata)).toEqual([{ customer_id: 'c1' }, { customer_id: 'c2' }]);
    expect(emu.requests.map((request) => request.idempotencyKey)).toEqual(['customer:c1', 'customer:c1', 'customer:c2']);
  });

  it('when Stripe cannot create the customer, then it is PAYMENT_PROVIDER_UNAVAILABLE', async () => {
    emu.faults.add({ method: 'POST', path: '/v1/customers', times: 3, action: { kind: 'status', status: 503 } });

    const failure = await port.createCustomer('c1', 'buyer@example.com').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PaymentFailure);
    expect((failure as PaymentFailure).code).toBe(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE);
  });

  it('when a card payment saves the card for a customer, then the saved id is the one Stripe answered, not the token the buyer sent', async () => {
    const customer = await port.createCustomer('c1', 'buyer@example.com');

    const attempt = await port.startPayment(firstPayment(customer));

    expect(attempt.status).toBe('CAPTURED');
    expect(attempt.savedPaymentMethodId).toMatch(/^pm_/);
    expect(attempt.savedPaymentMethodId).not.toBe('pm_card_visa');
    const [intent] = emu.createdObjects('payment_intent') as Stripe.PaymentIntent[];
    expect(intent).toMatchObject({ customer, setup_future_usage: 'off_session', payment_method: attempt.savedPaymentMethodId });
  });

  it('when a card payment saves nothing, then no saved id is answered', async () => {
    const attempt = await port.startPayment(firstPayment('', { saveCardFor: null }));

    expect(attempt.status).toBe('CAPTURED');
    expect(attempt.savedPaymentMethodId ?? null).toBeNull();
  });

  it('when a saving card needs 3-D Secure, then the saved id is known once the payment is looked up after authentication', async () => {
    const customer = await port.createCustomer('c1', 'buyer@example.com');
    const attempt = await port.startPayment(firstPayment(customer, { paymentMethodId: 'pm_card_authenticationRequired' }));
    expect([attempt.status, attempt.savedPaymentMethodId ?? null]).toEqual(['REQUIRES_ACTION', null]);

    await emu.completeAuthentication(attempt.providerReference, true);

    const found = await port.lookupPayment('order-1', attempt.providerReference);
    expect(found?.status).toBe('CAPTURED');
    expect(found?.savedPaymentMethodId).toMatch(/^pm_/);
    expect(found?.savedPaymentMethodId).not.toBe('pm_card_authenticationRequired');
  });

  it('when a hosted checkout saves the card, then the paid session answers the saved card of its payment', async () => {
    const customer = await port.createCustomer('c1', 'buyer@example.com');
    const attempt = await port.startPayment(firstPayment(customer, { kind: PaymentMethodKind.HOSTED_CHECKOUT, paymentMethodId: null }));

    await emu.completeCheckoutSession(attempt.providerReference);

    const found = await port.lookupPayment('order-1', attempt.providerReference);
    expect(found?.status).toBe('CAPTURED');
    expect(found?.savedPaymentMethodId).toMatch(/^pm_/);
    const [intent] = emu.createdObjects('payment_intent') as Stripe.PaymentIntent[];
    expect(intent).toMatchObject({ customer, setup_future_usage: 'off_session', payment_method: found?.savedPaymentMethodId });
  });

  it('when the saved card is charged off session, then it succeeds once under the attempt key', async () => {
    const saved = await customerWithSavedCard();

    const outcome = await port.chargeOffSession(renewal(saved, 1));

    expect(outcome).toMatchObject({ kind: 'succeeded', paymentIntentId: expect.stringMatching(/^pi_/) });
    const charged = (emu.createdObjects('payment_intent') as Stripe.PaymentIntent[]).filter((intent) => intent.metadata.subscription_id === 'sub-1');
    expect(charged).toHaveLength(1);
    expect(charged[0]).toMatchObject({
      status: 'succeeded',
      customer: saved.customer,
      payment_method: saved.paymentMethod,
      metadata: { order_id: 'renewal-order-1' },
    });
    expect(emu.requests.at(-1)?.idempotencyKey).toBe('renewal:sub-1:2026-03-31T00:00:00.000Z:1');
  });

  it('when the card is declined, then the outcome is declined with its code and nothing is captured', async () => {
    const saved = await customerWithSavedCard();
    emu.failNextOffSessionCharge(saved.customer, 'card_declined');

    const outcome = await port.chargeOffSession(renewal(saved, 1));

    expect(outcome).toMatchObject({ kind: 'declined', code: 'card_declined', declineCode: 'generic_decline', paymentIntentId: expect.stringMatching(/^pi_/) });
    expect(emu.events.filter((event) => event.type === 'payment_intent.succeeded')).toHaveLength(1);
  });

  it('when the card needs authentication, then the outcome is requires_action with the PaymentIntent to finish on session', async () => {
    const saved = await customerWithSavedCard();
    emu.failNextOffSessionCharge(saved.customer, 'authentication_required');

    const outcome = await port.chargeOffSession(renewal(saved, 1));

    expect(outcome).toMatchObject({ kind: 'requires_action', paymentIntentId: expect.stringMatching(/^pi_/), clientSecret: expect.stringMatching(/_secret_/) });
  });

  it('when a declined attempt is sent again with its key, then the decline repeats; the next attempt key can succeed', async () => {
    const saved = await customerWithSavedCard();
    emu.failNextOffSessionCharge(saved.customer, 'card_declined');
    const first = await port.chargeOffSession(renewal(saved, 1));

    const repeated = await port.chargeOffSession(renewal(saved, 1));
    const nextAttempt = await port.chargeOffSession(renewal(saved, 2));

    expect(repeated).toEqual(first);
    expect(nextAttempt.kind).toBe('succeeded');
  });

  it('when the answer is lost, then the outcome is unknown, and asking again with the same key answers the one charge made', async () => {
    const saved = await customerWithSavedCard();
    // The SDK itself sends a request again on a socket that closed under it: every copy is dropped.
    emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenDrop' }, times: 5 });

    const lost = await port.chargeOffSession(renewal(saved, 1));
    emu.faults.clear();
    const again = await port.chargeOffSession(renewal(saved, 1));

    expect(lost.kind).toBe('unknown');
    expect(again.kind).toBe('succeeded');
    const charged = (emu.createdObjects('payment_intent') as Stripe.PaymentIntent[]).filter((intent) => intent.metadata.subscription_id === 'sub-1');
    expect(charged).toHaveLength(1);
  });

  it('when Stripe times out, then the outcome is unknown', async () => {
    const saved = await customerWithSavedCard();
    emu.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'hang' } });

    const outcome = await port.chargeOffSession(renewal(saved, 1));

    expect(outcome.kind).toBe('unknown');
  });

  it('when Stripe stays unavailable through the retries, then the outcome is unknown after the policy’s attempts', async () => {
    const saved = await customerWithSavedCard();
    const before = emu.requests.length;
    emu.faults.add({ method: 'POST', path: '/v1/payment_intents', times: 3, action: { kind: 'status', status: 503 } });

    const outcome = await port.chargeOffSession(renewal(saved, 1));

    expect(outcome.kind).toBe('unknown');
    expect(emu.requests.length - before).toBe(FAST.maxAttempts);
  });

  it('when the saved card belongs to another customer, then Stripe refuses it and it counts as declined without a charge', async () => {
    const saved = await customerWithSavedCard();
    const stranger = await port.createCustomer('c2', 'other@example.com');

    const outcome = await port.chargeOffSession(renewal({ customer: stranger, paymentMethod: saved.paymentMethod }, 1));

    expect(outcome).toEqual({ kind: 'declined', code: 'refused', declineCode: null, paymentIntentId: null });
  });

  it('when an attempt key is asked for with a bad attempt number or date, then it throws instead of sending a key', () => {
    expect(() => providerKeys.renewalCharge('sub-1', PERIOD_START, 0)).toThrow(/positive integer/);
    expect(() => providerKeys.renewalCharge('sub-1', new Date(Number.NaN), 1)).toThrow(/valid date/);
    expect(providerKeys.renewalCharge('sub-1', new Date(PERIOD_START.getTime()), 3)).toBe(providerKeys.renewalCharge('sub-1', PERIOD_START, 3));
  });
});
