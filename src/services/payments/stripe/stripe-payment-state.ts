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
    savedPaymentMethodId: savedPaymentMethodOf(intent),
  };
}

/**
 * The card Stripe saved for off-session charges: the PaymentIntent's own
 * `payment_method` once a payment made for a customer with
 * `setup_future_usage=off_session` went through. Stripe answers a new id
 * there, not the one the buyer sent.
 */
export function savedPaymentMethodOf(intent: Stripe.PaymentIntent): string | null {
  if (intent.setup_future_usage !== 'off_session' || !intent.customer) return null;
  if (intent.status !== 'succeeded' && intent.status !== 'requires_capture') return null;
  const method = intent.payment_method;
  return typeof method === 'string' ? method : (method?.id ?? null);
}

/**
 * A Checkout Session in the port's terms: paid = CAPTURED, open = PENDING
 * (until `expiresAt`), expired = CANCELLED. A completed but not yet paid
 * session (delayed methods) stays PENDING. The saved card is known only
 * when the session was read with `expand: ['payment_intent']`.
 */
export function paymentFromSession(session: Stripe.Checkout.Session): ProviderPayment {
  const paymentIntentId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  // Known only when the session was read with its PaymentIntent expanded.
  const savedPaymentMethodId = typeof session.payment_intent === 'object' && session.payment_intent ? savedPaymentMethodOf(session.payment_intent) : null;
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
    savedPaymentMethodId,
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
