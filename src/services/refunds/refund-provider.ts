import type Stripe from 'stripe';
import type { AppDeps } from '../app-deps';
import { stripeRead, stripeWrite } from '../payments/stripe/stripe-client';
import { stripeClientFrom } from '../payments/stripe/stripe-extensions';
import { classifyStripeError, isAlreadyDone } from '../payments/stripe/stripe-errors';
import { stripeRefundReason } from './refund-policy';

export interface ProviderRefundRequest {
  refundId: string;
  orderId: string;
  /** pi_... the card payment to refund. */
  paymentIntentId: string;
  amount: number;
  reason: string;
}

/**
 * What the provider said, sorted by what we do next:
 * - succeeded / failed settle the refund;
 * - pending: Stripe accepted it, a `refund.updated` webhook will settle it;
 * - unknown: an outage or a lost answer; the refund stays PENDING and is asked
 *   again later with the SAME idempotency key, so Stripe never refunds twice.
 */
export type ProviderRefundAnswer =
  | { kind: 'succeeded'; providerRefundId: string | null }
  | { kind: 'pending'; providerRefundId: string }
  | { kind: 'failed'; providerRefundId: string | null; reason: string }
  | { kind: 'unknown'; reason: string };

export interface RefundProvider {
  refund(request: ProviderRefundRequest): Promise<ProviderRefundAnswer>;
  /** Asks where a refund Stripe already knows stands (its webhook may be lost). */
  lookUp(providerRefundId: string): Promise<ProviderRefundAnswer>;
}

/** Maps a Stripe refund object's status to our answer. */
export function answerFromStripeRefund(refund: Pick<Stripe.Refund, 'id' | 'status' | 'failure_reason'>): ProviderRefundAnswer {
  switch (refund.status) {
    case 'succeeded':
      return { kind: 'succeeded', providerRefundId: refund.id };
    case 'failed':
    case 'canceled':
      return { kind: 'failed', providerRefundId: refund.id, reason: refund.failure_reason ?? refund.status };
    default:
      // pending, requires_action: Stripe holds it; the webhook settles it.
      return { kind: 'pending', providerRefundId: refund.id };
  }
}

export class StripeRefundProvider implements RefundProvider {
  constructor(private readonly stripe: Stripe) {}

  async refund(request: ProviderRefundRequest): Promise<ProviderRefundAnswer> {
    const reason = stripeRefundReason(request.reason);
    try {
      // Idempotency-Key = the refund id (DESIGN invariant 6): a retry after an outage replays, never refunds twice.
      const refund = await stripeWrite('refunds.create', request.refundId, (options) =>
        this.stripe.refunds.create(
          {
            payment_intent: request.paymentIntentId,
            amount: request.amount,
            ...(reason ? { reason } : {}),
            metadata: { order_id: request.orderId, refund_id: request.refundId, reason: request.reason.slice(0, 500) },
          },
          options,
        ));
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
      return answerFromStripeRefund(await stripeRead('refunds.retrieve', () => this.stripe.refunds.retrieve(providerRefundId)));
    } catch (error) {
      return { kind: 'unknown', reason: classifyStripeError(error).message };
    }
  }
}

/** Stripe when it is configured (the client installed in the app's extensions); else none. */
export function refundProviderFor(deps: Pick<AppDeps, 'extensions'>): RefundProvider | null {
  const stripe = stripeClientFrom(deps.extensions);
  return stripe ? new StripeRefundProvider(stripe) : null;
}
