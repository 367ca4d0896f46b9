import type { PaymentAttempt, PaymentGateway, ProviderPayment } from '../payment-gateway';

/**
 * What recovery does with a checkout that died while its payment call was in
 * flight (the answer was never recorded): Stripe is asked by the order id in
 * its metadata. A live payment is taken over as if the call had answered; no
 * payment, or a failed one, means the checkout is compensated.
 */
export type PaymentRecoveryPlan =
  | { action: 'resume'; gateway: PaymentGateway; found: ProviderPayment }
  | { action: 'compensate'; reason: string };

export async function planPaymentRecovery(gateway: PaymentGateway, orderId: string): Promise<PaymentRecoveryPlan> {
  // Throws PaymentOutcomeUnknown when Stripe cannot be asked: the saga then waits for the next round.
  const found = await gateway.lookupPayment(orderId, null);
  if (found === null) return { action: 'compensate', reason: 'the payment provider holds no payment for the order' };
  if (found.status === 'FAILED' || found.status === 'CANCELLED') return { action: 'compensate', reason: `the provider's payment ended ${found.status}` };
  return { action: 'resume', gateway: new FoundPaymentGateway(gateway, found), found };
}

/** Answers startPayment with the payment recovery found, instead of creating one; everything else goes to the real gateway. */
class FoundPaymentGateway implements PaymentGateway {
  constructor(
    private readonly real: PaymentGateway,
    private readonly found: ProviderPayment,
  ) {}

  async startPayment(): Promise<PaymentAttempt> {
    const { status, providerReference, clientSecret, expiresAt } = this.found;
    // The buyer still has to authenticate a REQUIRES_ACTION intent: without its client secret they cannot.
    return { status: status as PaymentAttempt['status'], providerReference, clientSecret, checkoutUrl: null, expiresAt };
  }

  cancelPayment(providerReference: string, idempotencyKey: string): Promise<void> {
    return this.real.cancelPayment(providerReference, idempotencyKey);
  }

  lookupPayment(orderId: string, providerReference: string | null): Promise<ProviderPayment | null> {
    return this.real.lookupPayment(orderId, providerReference);
  }
}
