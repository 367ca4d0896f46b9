import Stripe from 'stripe';
import { ErrorCode } from '../../shared/error-code';
import { logger } from '../../shared/logger';
import { providerKeys } from '../idempotency-keys';
import { PaymentFailure, type OffSessionChargeOutcome, type OffSessionChargeRequest } from '../payment-port';
import { stripeWrite, type StripeRetryPolicy } from './stripe-client';
import { StripeCallError } from './stripe-errors';
import { paymentFromIntent } from './stripe-payment-state';

/** The decline Stripe answers when an off-session payment would need the absent customer to authenticate. */
const AUTHENTICATION_REQUIRED = 'authentication_required';

/**
 * What subscriptions need of Stripe besides checkout: a Stripe Customer per
 * customer, and charges to the card saved on it while the customer is away.
 * Both go through stripeWrite (explicit key, the port's retry policy) and
 * the one error classification.
 */
export class StripeSavedCards {
  constructor(
    private readonly stripe: Stripe,
    private readonly policy: StripeRetryPolicy,
  ) {}

  async createCustomer(customerId: string, email: string): Promise<string> {
    try {
      const customer = await stripeWrite(
        'customers.create',
        providerKeys.customer(customerId),
        (options) => this.stripe.customers.create({ email, metadata: { customer_id: customerId } }, options),
        this.policy,
      );
      return customer.id;
    } catch (error) {
      if (!(error instanceof StripeCallError)) throw error;
      // No money moves here: whatever happened, the same key answers the same customer next time.
      logger.warn('payment.customer_not_created', { customerId, kind: error.kind, code: error.code });
      throw new PaymentFailure(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, 'The payment provider is unavailable; nothing was charged. Try again shortly.');
    }
  }

  async chargeOffSession(request: OffSessionChargeRequest): Promise<OffSessionChargeOutcome> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: request.amount,
      currency: request.currency.toLowerCase(),
      customer: request.customer,
      payment_method: request.paymentMethod,
      off_session: true,
      confirm: true,
      metadata: request.metadata,
      // Nobody is there to follow a redirect.
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    };
    try {
      const intent = await stripeWrite(
        'payment_intents.create',
        request.idempotencyKey,
        (options) => this.stripe.paymentIntents.create(params, options),
        this.policy,
      );
      return outcomeOfIntent(intent);
    } catch (error) {
      if (!(error instanceof StripeCallError)) throw error;
      return outcomeOfFailure(request, error);
    }
  }
}

/** An answered charge, by the state Stripe left its PaymentIntent in. */
function outcomeOfIntent(intent: Stripe.PaymentIntent): OffSessionChargeOutcome {
  const state = paymentFromIntent(intent);
  switch (state.status) {
    case 'CAPTURED':
      return { kind: 'succeeded', paymentIntentId: intent.id };
    case 'REQUIRES_ACTION':
      return { kind: 'requires_action', paymentIntentId: intent.id, clientSecret: intent.client_secret };
    case 'FAILED':
    case 'CANCELLED':
      return {
        kind: 'declined',
        code: intent.last_payment_error?.code ?? intent.status,
        declineCode: intent.last_payment_error?.decline_code ?? null,
        paymentIntentId: intent.id,
      };
    case 'AUTHORIZED':
    case 'PENDING':
      // Not settled yet (Stripe is still processing): asked again with the same key later.
      return { kind: 'unknown', reason: `the payment is ${intent.status}` };
  }
}

function outcomeOfFailure(request: OffSessionChargeRequest, error: StripeCallError): OffSessionChargeOutcome {
  const { classification } = error;
  if (classification.kind !== 'terminal')
    return { kind: 'unknown', reason: `Stripe's answer was lost or Stripe was unavailable (${classification.code ?? classification.message})` };
  const cause = error.cause;
  if (cause instanceof Stripe.errors.StripeCardError) {
    const intent = cause.payment_intent;
    if (classification.code === AUTHENTICATION_REQUIRED && intent) {
      return { kind: 'requires_action', paymentIntentId: intent.id, clientSecret: intent.client_secret };
    }
    return { kind: 'declined', code: classification.code ?? 'card_declined', declineCode: classification.declineCode, paymentIntentId: intent?.id ?? null };
  }
  // The key was used before with other parameters: an earlier attempt exists and may have charged.
  if (classification.code === 'idempotency_error') {
    logger.error('payment.off_session_key_reused', { idempotencyKey: request.idempotencyKey, message: classification.message });
    return { kind: 'unknown', reason: 'the idempotency key was already used with other parameters' };
  }
  // Stripe refused the request itself (a detached card, an unknown customer): nothing was charged, and it would refuse again.
  logger.error('payment.off_session_refused', { idempotencyKey: request.idempotencyKey, code: classification.code, message: classification.message });
  return { kind: 'declined', code: classification.code ?? 'refused', declineCode: null, paymentIntentId: null };
}
