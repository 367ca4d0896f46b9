import type Stripe from 'stripe';
import type { ProviderPayment } from '../payment-port';

/** Stripe's PaymentIntent status in the port's terms. */
export function paymentFromIntent(intent: Stripe.PaymentIntent): ProviderPayment {
  const status = intentStatus(intent.status);
  return {
    providerReference: intent.id,
    paymentIntentId: intent.id,
    status,
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    expiresAt: null,
    clientSecret: status === 'REQUIRES_ACTION' ? intent.client_secret : null,
  };
}

/**
 * A Checkout Session in the port's terms: paid = CAPTURED, open = PENDING
 * (until `expiresAt`), expired = CANCELLED. A completed but not yet paid
 * session (delayed methods) stays PENDING.
 */
export function paymentFromSession(session: Stripe.Checkout.Session): ProviderPayment {
  const paymentIntentId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  let status: ProviderPayment['status'];
  if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required') status = 'CAPTURED';
  else if (session.status === 'expired') status = 'CANCELLED';
  else status = 'PENDING';
  return {
    providerReference: session.id,
    paymentIntentId,
    status,
    amount: session.amount_total ?? 0,
    currency: (session.currency ?? '').toUpperCase(),
    expiresAt: new Date(session.expires_at * 1000),
    clientSecret: null,
  };
}

function intentStatus(status: Stripe.PaymentIntent.Status): ProviderPayment['status'] {
  switch (status) {
    case 'succeeded':
      return 'CAPTURED';
    case 'requires_capture':
      return 'AUTHORIZED';
    case 'requires_action':
    case 'requires_confirmation':
      return 'REQUIRES_ACTION';
    case 'processing':
      return 'PENDING';
    case 'canceled':
      return 'CANCELLED';
    case 'requires_payment_method':
      // After a failed confirmation the intent waits for another method: this attempt failed.
      return 'FAILED';
    default:
      return 'PENDING';
  }
}
