import Stripe from 'stripe';
import { WebhookSignatureInvalid, type ProviderEvent } from '../payment-port';
import { answerFromStripeRefund } from './stripe-refunds';

const REFUND_OBJECT_EVENTS: ReadonlySet<string> = new Set(['refund.created', 'refund.updated', 'refund.failed']);

/**
 * Verifies a delivery's signature over its exact bytes and reads the event
 * into our terms. Anything that does not verify (a forgery, a stale
 * timestamp, a body that is not an event) is WebhookSignatureInvalid.
 */
export function verifyStripeEvent(stripe: Stripe, rawBody: Buffer, signature: string, secret: string): ProviderEvent {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    const reason = error instanceof Stripe.errors.StripeSignatureVerificationError ? 'signature' : 'unparseable';
    throw new WebhookSignatureInvalid(reason, { cause: error });
  }
  return { id: event.id, type: event.type, subject: subjectOf(event) };
}

function subjectOf(event: Stripe.Event): ProviderEvent['subject'] {
  if (REFUND_OBJECT_EVENTS.has(event.type)) {
    const refund = event.data.object as Stripe.Refund;
    const refundId = refund.metadata?.refund_id;
    return { kind: 'refund', providerRefundId: refund.id, refundId: refundId || null, answer: answerFromStripeRefund(refund) };
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    const intent = charge.payment_intent;
    return { kind: 'charge-refunded', paymentIntentId: typeof intent === 'string' ? intent : (intent?.id ?? null) };
  }
  const object = event.data.object as { id?: unknown; metadata?: Record<string, string> | null };
  return { kind: 'payment', objectId: typeof object.id === 'string' ? object.id : null, orderId: object.metadata?.order_id ?? null };
}
