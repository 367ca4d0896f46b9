import Stripe from 'stripe';
import type { Config } from '../../../config';
import { PaymentMethodKind } from '../../../entities';
import type { Clock } from '../../shared/clock';
import { ErrorCode } from '../../shared/error-code';
import { logger } from '../../shared/logger';
import { providerKeys } from '../idempotency-keys';
import {
  PaymentFailure,
  PaymentOutcomeUnknown,
  type OffSessionChargeOutcome,
  type OffSessionChargeRequest,
  type PaymentAttempt,
  type PaymentPort,
  type PaymentRequest,
  type ProviderEvent,
  type ProviderPayment,
  type ProviderPayoutAnswer,
  type ProviderRefundAnswer,
  type ProviderRefundRequest,
  type ProviderReversalRequest,
  type ProviderTransferRequest,
} from '../payment-port';
import { createStripeClient, stripeRead, stripeWrite, type StripeRetryPolicy, DEFAULT_STRIPE_RETRY_POLICY } from './stripe-client';
import { StripeCallError } from './stripe-errors';
import { verifyStripeEvent } from './stripe-events';
import { paymentFromIntent, paymentFromSession } from './stripe-payment-state';
import { StripePayouts } from './stripe-payouts';
import { StripeRefunds } from './stripe-refunds';
import { StripeSavedCards } from './stripe-saved-cards';

/** PaymentIntent statuses in which nothing was paid yet and Stripe still lets us cancel. */
const UNPAID_CANCELLABLE: readonly Stripe.PaymentIntent.Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELLABLE: readonly Stripe.PaymentIntent.Status[] = [...UNPAID_CANCELLABLE, 'requires_capture', 'processing'];

/** Stripe's window for a Checkout Session's `expires_at`. */
const MIN_SESSION_TTL_MS = 30 * 60_000;
const MAX_SESSION_TTL_MS = 24 * 60 * 60_000;

export interface StripePaymentsOptions {
  config: Config;
  clock: Clock;
  retryPolicy?: StripeRetryPolicy;
}

/**
 * The payment port over the real Stripe SDK; nothing outside this folder
 * imports `stripe`. Every write carries the caller's key; failures are
 * classified once (stripe-errors.ts) and mapped to what checkout can act on:
 * - card declined            -> PaymentFailure(PAYMENT_DECLINED)
 * - outage, provably no charge -> PaymentFailure(PAYMENT_PROVIDER_UNAVAILABLE)
 * - anything we cannot prove -> PaymentOutcomeUnknown (saga stays open for recovery)
 */
export class StripePayments implements PaymentPort {
  private readonly policy: StripeRetryPolicy;
  private readonly refunds: StripeRefunds;
  private readonly payouts: StripePayouts;
  private readonly savedCards: StripeSavedCards;

  constructor(
    private readonly stripe: Stripe,
    private readonly options: StripePaymentsOptions,
  ) {
    this.policy = options.retryPolicy ?? DEFAULT_STRIPE_RETRY_POLICY;
    this.refunds = new StripeRefunds(stripe, this.policy);
    this.payouts = new StripePayouts(stripe, this.policy);
    this.savedCards = new StripeSavedCards(stripe, this.policy);
  }

  createCustomer(customerId: string, email: string): Promise<string> {
    return this.savedCards.createCustomer(customerId, email);
  }

  chargeOffSession(request: OffSessionChargeRequest): Promise<OffSessionChargeOutcome> {
    return this.savedCards.chargeOffSession(request);
  }

  refund(request: ProviderRefundRequest): Promise<ProviderRefundAnswer> {
    return this.refunds.refund(request);
  }

  lookUpRefund(providerRefundId: string): Promise<ProviderRefundAnswer> {
    return this.refunds.lookUp(providerRefundId);
  }

  refundUnwantedCharge(orderId: string, paymentIntentId: string): Promise<ProviderRefundAnswer> {
    return this.refunds.refundUnwantedCharge(orderId, paymentIntentId);
  }

  transfer(request: ProviderTransferRequest): Promise<ProviderPayoutAnswer> {
    return this.payouts.transfer(request);
  }

  reverseTransfer(request: ProviderReversalRequest): Promise<ProviderPayoutAnswer> {
    return this.payouts.reverseTransfer(request);
  }

  verifyEvent(rawBody: Buffer, signature: string, secret: string): ProviderEvent {
    return verifyStripeEvent(this.stripe, rawBody, signature, secret);
  }

  async startPayment(request: PaymentRequest): Promise<PaymentAttempt> {
    try {
      return request.kind === PaymentMethodKind.CARD ? await this.chargeCard(request) : await this.openHostedCheckout(request);
    } catch (error) {
      if (!(error instanceof StripeCallError)) throw error;
      return this.explainFailure(request, error);
    }
  }

  async cancelPayment(providerReference: string, idempotencyKey: string): Promise<void> {
    if (providerReference.startsWith('cs_')) {
      const session = await this.expireHostedCheckout(providerReference, idempotencyKey);
      if (session.status === 'CAPTURED' && session.paymentIntentId)
        await this.cancelPayment(session.paymentIntentId, providerKeys.cancel(session.paymentIntentId));
      return;
    }
    const intent = await this.retrieveIntent(providerReference);
    if (intent.status === 'succeeded') {
      // Compensating after the charge went through (placing the order failed): the money goes back.
      const orderId = intent.metadata?.order_id ?? providerReference;
      logger.error('payment.charge_on_cancelled_order', { orderId, paymentIntentId: intent.id, amount: intent.amount, currency: intent.currency });
      await this.refundUnwantedCharge(orderId, intent.id);
      return;
    }
    if (!CANCELLABLE.includes(intent.status)) return;
    await this.cancelIntent(providerReference, idempotencyKey);
  }

  /**
   * Ends a card payment the buyer never finished (abandoned 3-D Secure):
   * cancelled at Stripe while nothing was paid, and answered as Stripe holds it
   * afterwards. One that went through meanwhile (succeeded, authorized) is left
   * alone and answered as it is, so the caller places the order.
   */
  async abandonCardPayment(paymentIntentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    const intent = await this.retrieveIntent(paymentIntentId);
    if (!UNPAID_CANCELLABLE.includes(intent.status)) return paymentFromIntent(intent);
    try {
      return paymentFromIntent(await this.cancelIntent(paymentIntentId, idempotencyKey));
    } catch (error) {
      // The buyer finished between the read and the cancel: Stripe refuses the cancel; its state says what happened.
      if (error instanceof StripeCallError && error.kind === 'terminal') return paymentFromIntent(await this.retrieveIntent(paymentIntentId));
      throw error;
    }
  }

  private retrieveIntent(paymentIntentId: string): Promise<Stripe.PaymentIntent> {
    return stripeRead('payment_intents.retrieve', () => this.stripe.paymentIntents.retrieve(paymentIntentId), this.policy);
  }

  /** With its PaymentIntent, whose saved card a paid plan checkout needs. */
  private retrieveSession(sessionId: string): Promise<Stripe.Checkout.Session> {
    return stripeRead('checkout.sessions.retrieve', () => this.stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent'] }), this.policy);
  }

  private cancelIntent(paymentIntentId: string, idempotencyKey: string): Promise<Stripe.PaymentIntent> {
    return stripeWrite(
      'payment_intents.cancel',
      idempotencyKey,
      (opts) => this.stripe.paymentIntents.cancel(paymentIntentId, { cancellation_reason: 'abandoned' }, opts),
      this.policy,
    );
  }

  /** Expires a still-open session so nobody can pay it any more; a no-op once it is complete or expired. */
  async expireHostedCheckout(sessionId: string, idempotencyKey: string): Promise<ProviderPayment> {
    const session = await this.retrieveSession(sessionId);
    if (session.status !== 'open') return paymentFromSession(session);
    const expired = await stripeWrite(
      'checkout.sessions.expire',
      idempotencyKey,
      (opts) => this.stripe.checkout.sessions.expire(sessionId, {}, opts),
      this.policy,
    );
    return paymentFromSession(expired);
  }

  async lookupPayment(orderId: string, providerReference: string | null): Promise<ProviderPayment | null> {
    try {
      if (providerReference?.startsWith('cs_')) return paymentFromSession(await this.retrieveSession(providerReference));
      if (providerReference?.startsWith('pi_')) return paymentFromIntent(await this.retrieveIntent(providerReference));
      const intent = await this.findIntentByOrder(orderId);
      return intent ? paymentFromIntent(intent) : null;
    } catch (error) {
      if (error instanceof StripeCallError) throw new PaymentOutcomeUnknown(orderId, `Stripe could not be asked about order ${orderId}: ${error.message}`);
      throw error;
    }
  }

  /**
   * The order's PaymentIntent found through `metadata['order_id']`; the best
   * one when there are several (a charge beats a pending one beats a failure).
   * Null when Stripe holds none.
   */
  private async findIntentByOrder(orderId: string): Promise<Stripe.PaymentIntent | null> {
    const found = await stripeRead(
      'payment_intents.search',
      () => this.stripe.paymentIntents.search({ query: `metadata['order_id']:'${orderId}'`, limit: 10 }),
      this.policy,
    );
    const rank: ProviderPayment['status'][] = ['CAPTURED', 'AUTHORIZED', 'REQUIRES_ACTION', 'PENDING', 'FAILED', 'CANCELLED'];
    const ranked = [...found.data].sort((a, b) => rank.indexOf(paymentFromIntent(a).status) - rank.indexOf(paymentFromIntent(b).status));
    return ranked[0] ?? null;
  }

  private async chargeCard(request: PaymentRequest): Promise<PaymentAttempt> {
    if (!request.paymentMethodId) throw new PaymentFailure(ErrorCode.PAYMENT_DECLINED, 'A card payment needs a payment method (stripePaymentMethodId).');
    const params: Stripe.PaymentIntentCreateParams = {
      amount: request.amount,
      currency: request.currency.toLowerCase(),
      payment_method: request.paymentMethodId,
      confirm: true,
      receipt_email: request.email,
      metadata: this.metadataFor(request),
      ...(request.saveCardFor ? { customer: request.saveCardFor, setup_future_usage: 'off_session' as const } : {}),
      // Server-side confirmation: without a return URL only methods that never redirect may be used.
      ...(request.returnUrl
        ? { return_url: request.returnUrl, automatic_payment_methods: { enabled: true } }
        : { automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } }),
    };
    const intent = await stripeWrite('payment_intents.create', request.idempotencyKey, (opts) => this.stripe.paymentIntents.create(params, opts), this.policy);
    return attemptFromIntent(intent);
  }

  private async openHostedCheckout(request: PaymentRequest): Promise<PaymentAttempt> {
    const ttl = Math.min(MAX_SESSION_TTL_MS, Math.max(MIN_SESSION_TTL_MS + 60_000, this.options.config.checkoutSessionTtlMs));
    const expiresAt = Math.floor((request.sessionExpiresAt?.getTime() ?? this.options.clock.now().getTime() + ttl) / 1000);
    const base = request.returnUrl ?? `${this.options.config.publicUrl}/orders/${request.orderId}`;
    const separator = base.includes('?') ? '&' : '?';
    const metadata = this.metadataFor(request);
    const session = await stripeWrite(
      'checkout.sessions.create',
      request.idempotencyKey,
      (opts) =>
        this.stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: request.currency.toLowerCase(),
                  unit_amount: request.amount,
                  product_data: { name: `Order ${request.orderNumber ?? request.orderId}` },
                },
              },
            ],
            success_url: `${base}${separator}checkout=success&session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: `${base}${separator}checkout=cancelled`,
            expires_at: expiresAt,
            // Stripe takes one or the other; the customer's own email is on the customer.
            ...(request.saveCardFor ? { customer: request.saveCardFor } : { customer_email: request.email }),
            client_reference_id: request.orderId,
            metadata,
            payment_intent_data: { metadata, ...(request.saveCardFor ? { setup_future_usage: 'off_session' as const } : {}) },
          },
          opts,
        ),
      this.policy,
    );
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
    return { status: 'PENDING', providerReference: session.id, clientSecret: null, checkoutUrl: session.url, expiresAt: new Date(session.expires_at * 1000) };
  }

  private metadataFor(request: PaymentRequest): Record<string, string> {
    return { order_id: request.orderId, ...(request.cartVersionKey ? { cart_version_key: request.cartVersionKey } : {}) };
  }

  /**
   * A failed start. Declines are final. An outage after retries is reported as
   * "unavailable" (which makes checkout compensate) only when Stripe provably
   * did not charge: the request never landed, or Stripe holds no live
   * PaymentIntent for the order. Anything else is an unknown outcome.
   */
  private async explainFailure(request: PaymentRequest, error: StripeCallError): Promise<PaymentAttempt> {
    const { classification } = error;
    const unavailable = () =>
      new PaymentFailure(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, 'The payment provider is unavailable; nothing was charged. Try again shortly.');
    const unknown = (why: string) => new PaymentOutcomeUnknown(request.orderId, `Payment for order ${request.orderId}: ${why}; recovery will ask Stripe.`);
    if (classification.kind === 'indeterminate') throw unknown(`Stripe's answer was lost (${classification.code ?? classification.message})`);
    if (classification.kind === 'terminal') {
      if (error.cause instanceof Stripe.errors.StripeCardError) {
        throw new PaymentFailure(ErrorCode.PAYMENT_DECLINED, `The card was declined (${classification.declineCode ?? classification.code ?? 'declined'}).`);
      }
      // A made-up or foreign pm_… id: nothing could be charged, and the buyer may try another card.
      if (classification.code === 'resource_missing' && error.cause instanceof Stripe.errors.StripeError && error.cause.param === 'payment_method') {
        throw new PaymentFailure(ErrorCode.PAYMENT_DECLINED, 'No such payment method (stripePaymentMethodId); nothing was charged.');
      }
      // The key was used before with other parameters: an earlier attempt exists and may have charged.
      if (classification.code === 'idempotency_error') throw unknown('the idempotency key was already used');
      logger.error('payment.stripe_refused_request', { orderId: request.orderId, code: classification.code, message: classification.message });
      throw new PaymentFailure(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, 'The payment provider refused the payment request.');
    }
    if (provablyNotApplied(error)) throw unavailable();
    // Sessions cannot be searched by metadata; a 5xx may have created one.
    if (request.kind !== PaymentMethodKind.CARD) throw unknown('Stripe was unavailable while the checkout session was created');
    let existing: Stripe.PaymentIntent | null;
    try {
      existing = await this.findIntentByOrder(request.orderId);
    } catch (lookupError) {
      if (lookupError instanceof StripeCallError) throw unknown('Stripe was unavailable and could not say whether it charged');
      throw lookupError;
    }
    if (existing === null) throw unavailable();
    const state = paymentFromIntent(existing);
    if (state.status === 'FAILED' || state.status === 'CANCELLED') throw unavailable();
    return attemptFromIntent(existing);
  }
}

/** Rate limited, or the connection was refused before the request was written: Stripe did not act on it. */
function provablyNotApplied(error: StripeCallError): boolean {
  const cause = error.cause;
  if (cause instanceof Stripe.errors.StripeRateLimitError || (cause instanceof Stripe.errors.StripeError && cause.statusCode === 429)) return true;
  if (!(cause instanceof Stripe.errors.StripeConnectionError)) return false;
  const detail = cause.detail as { code?: unknown } | undefined;
  return detail?.code === 'ECONNREFUSED';
}

function attemptFromIntent(intent: Stripe.PaymentIntent): PaymentAttempt {
  const state = paymentFromIntent(intent);
  if (state.status === 'FAILED' || state.status === 'CANCELLED') {
    throw new PaymentFailure(ErrorCode.PAYMENT_DECLINED, `The payment did not go through (${intent.status}).`);
  }
  return {
    status: state.status,
    providerReference: intent.id,
    clientSecret: state.status === 'REQUIRES_ACTION' ? intent.client_secret : null,
    checkoutUrl: null,
    savedPaymentMethodId: state.savedPaymentMethodId,
  };
}

/** The Stripe adapter when a secret key is configured; null otherwise (card payments then answer PAYMENT_PROVIDER_NOT_CONFIGURED). */
export function createStripePayments(config: Config, clock: Clock): StripePayments | null {
  const stripe = createStripeClient(config);
  return stripe ? new StripePayments(stripe, { config, clock }) : null;
}
