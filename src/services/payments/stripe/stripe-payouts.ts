import type Stripe from 'stripe';
import { providerKeys } from '../idempotency-keys';
import type { ProviderPayoutAnswer, ProviderReversalRequest, ProviderTransferRequest } from '../payment-port';
import { stripeWrite, type StripeRetryPolicy } from './stripe-client';
import { classifyStripeError, isAlreadyDone } from './stripe-errors';

/** A failed payout call in our terms: Stripe's refusal is final, anything else is asked again with the same key. */
function payoutFailure(error: unknown): ProviderPayoutAnswer {
  const classification = classifyStripeError(error);
  return classification.kind === 'terminal' ? { kind: 'refused', reason: classification.message } : { kind: 'retry', reason: classification.message };
}

/** Marketplace payouts at Stripe: a transfer per seller and order (transfer_group = the order id), and its reversals. */
export class StripePayouts {
  constructor(
    private readonly stripe: Stripe,
    private readonly policy: StripeRetryPolicy,
  ) {}

  async transfer(request: ProviderTransferRequest): Promise<ProviderPayoutAnswer> {
    try {
      const created = await stripeWrite(
        'transfers.create',
        providerKeys.transfer(request.transferId),
        (options) =>
          this.stripe.transfers.create(
            {
              amount: request.amount,
              currency: request.currency.toLowerCase(),
              destination: request.destinationAccount,
              transfer_group: request.orderId,
              metadata: { order_id: request.orderId, transfer_id: request.transferId, seller_id: request.sellerId },
            },
            options,
          ),
        this.policy,
      );
      return { kind: 'done', providerId: created.id, amount: created.amount };
    } catch (error) {
      return payoutFailure(error);
    }
  }

  async reverseTransfer(request: ProviderReversalRequest): Promise<ProviderPayoutAnswer> {
    try {
      const reversal = await stripeWrite(
        'transfers.createReversal',
        providerKeys.reversal(request.transferId, request.refundId),
        (options) =>
          this.stripe.transfers.createReversal(
            request.providerTransferId,
            {
              amount: request.amount,
              metadata: { order_id: request.orderId, transfer_id: request.transferId, refund_id: request.refundId ?? '' },
            },
            options,
          ),
        this.policy,
      );
      return { kind: 'done', providerId: reversal.id, amount: reversal.amount };
    } catch (error) {
      if (isAlreadyDone(error)) return { kind: 'done', providerId: null, amount: 0, alreadyReversed: true };
      return payoutFailure(error);
    }
  }
}
