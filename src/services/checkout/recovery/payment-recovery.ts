import type { CheckoutPayments, PaymentAttempt, ProviderPayment } from '../../payments/payment-port';

/**
 * What recovery does with a checkout that died while its payment call was in
 * flight (the answer was never recorded): Stripe is asked by the order id in
 * its metadata. A live payment is taken over as if the call had answered; no
 * payment, or a failed one, means the checkout is compensated.
 */
export type PaymentRecoveryPlan = { action: 'resume'; payments: CheckoutPayments; found: ProviderPayment } | { action: 'compensate'; reason: string };

export async function planPaymentRecovery(payments: CheckoutPayments, orderId: string): Promise<PaymentRecoveryPlan> {
  // Throws PaymentOutcomeUnknown when Stripe cannot be asked: the saga then waits for the next round.
  const found = await payments.lookupPayment(orderId, null);
  if (found === null) return { action: 'compensate', reason: 'the payment provider holds no payment for the order' };
  if (found.status === 'FAILED' || found.status === 'CANCELLED') return { action: 'compensate', reason: `the provider's payment ended ${found.status}` };
  return { action: 'resume', payments: new FoundPayment(payments, found), found };
}

/** Answers startPayment with the payment recovery found, instead of creating one; everything else goes to the real provider. */
class FoundPayment implements CheckoutPayments {
  constructor(
    private readonly real: CheckoutPayments,
    private readonly found: ProviderPayment,
  ) {}

  async startPayment(): Promise<PaymentAttempt> {
    const { status, providerReference, clientSecret, expiresAt, savedPaymentMethodId } = this.found;
    // The buyer still has to authenticate a REQUIRES_ACTION intent: without its client secret they cannot.
    return { status: status as PaymentAttempt['status'], providerReference, clientSecret, checkoutUrl: null, expiresAt, savedPaymentMethodId };
  }

  createCustomer(customerId: string, email: string): Promise<string> {
    return this.real.createCustomer(customerId, email);
  }

  cancelPayment(providerReference: string, idempotencyKey: string): Promise<void> {
    return this.real.cancelPayment(providerReference, idempotencyKey);
  }

  lookupPayment(orderId: string, providerReference: string | null): Promise<ProviderPayment | null> {
    return this.real.lookupPayment(orderId, providerReference);
  }
}
