import type Stripe from 'stripe';
import { providerKeys } from '../idempotency-keys';
import type { ProviderRefundAnswer, ProviderRefundRequest } from '../payment-port';
import { stripeRead, stripeWrite, type StripeRetryPolicy } from './stripe-client';
import { classifyStripeError, isAlreadyDone } from './stripe-errors';

/** Stripe accepts only these reasons; any other text travels in metadata only. */
const STRIPE_REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
type StripeRefundReason = (typeof STRIPE_REFUND_REASONS)[number];

function stripeRefundReason(reason: string): StripeRefundReason | null {
  const normalized = reason.trim().toLowerCase();
  return (STRIPE_REFUND_REASONS as readonly string[]).includes(normalized) ? (normalized as StripeRefundReason) : null;
}

/** Maps a Stripe refund object's status to our answer. */
export function answerFromStripeRefund(refund: Pick<Stripe.Refund, 'id' | 'status' | 'failure_reason'>): ProviderRefundAnswer {
  switch (refund.status) {
    case 'succeeded':
      return { kind: 'succeeded', providerRefundId: refund.id };
    case 'failed':
    case 'canceled':
      return { kind: 'failed', providerRefundId: refund.id, reason: refund.failure_reason ?? refund.status };
    case null:
    default:
      // pending, requires_action, or no status yet: Stripe holds it; the webhook settles it.
      return { kind: 'pending', providerRefundId: refund.id };
  }
}

/** Refunds at Stripe: asked with the refund id as the key, looked up by Stripe's id, and the automatic give-back of an unwanted charge. */
export class StripeRefunds {
  constructor(
    private readonly stripe: Stripe,
    private readonly policy: StripeRetryPolicy,
  ) {}

  async refund(request: ProviderRefundRequest): Promise<ProviderRefundAnswer> {
    const reason = stripeRefundReason(request.reason);
    try {
      const refund = await stripeWrite(
        'refunds.create',
        providerKeys.refund(request.refundId),
        (options) =>
          this.stripe.refunds.create(
            {
              payment_intent: request.paymentIntentId,
              amount: request.amount,
              ...(reason ? { reason } : {}),
              metadata: { order_id: request.orderId, refund_id: request.refundId, reason: request.reason.slice(0, 500) },
            },
            options,
          ),
        this.policy,
      );
      return answerFromStripeRefund(refund);
    } catch (error) {
      if (isAlreadyDone(error)) return { kind: 'succeeded', providerRefundId: null };
      const classification = classifyStripeError(error);
      if (classification.kind === 'terminal') return { kind: 'failed', providerRefundId: null, reason: classification.message };
      return { kind: 'unknown', reason: classification.message };
    }
  }

  async lookUp(providerRefundId: string): Promise<ProviderRefundAnswer> {
    try {
      return answerFromStripeRefund(await stripeRead('refunds.retrieve', () => this.stripe.refunds.retrieve(providerRefundId), this.policy));
    } catch (error) {
      return { kind: 'unknown', reason: classifyStripeError(error).message };
    }
  }

  /** Key `auto-refund:<orderId>`: however many events report the charge, it is given back once. */
  async refundUnwantedCharge(orderId: string, paymentIntentId: string): Promise<ProviderRefundAnswer> {
    try {
      const refund = await stripeWrite(
        'refunds.create',
        providerKeys.autoRefund(orderId),
        (opts) =>
          this.stripe.refunds.create(
            { payment_intent: paymentIntentId, reason: 'requested_by_customer', metadata: { order_id: orderId, auto_refund: 'true' } },
            opts,
          ),
        this.policy,
      );
      return answerFromStripeRefund(refund);
    } catch (error) {
      if (isAlreadyDone(error)) return { kind: 'succeeded', providerRefundId: null };
      throw error;
    }
  }
}
