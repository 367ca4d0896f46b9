/**
 * PaymentIntent lifecycle shared by the API handlers, Checkout completion and
 * the simulated 3DS step: creation, confirmation outcomes, authentication.
 */
import type { Env } from '../context';
import { ApiError, invalidRequest, withDocUrl, type StripeErrorBody } from '../errors';
import type { ExecutionContext } from '../events/event-log';
import { newId, nowSeconds } from '../ids';
import { snapshot, type CaptureMethod, type NextAction, type PaymentError, type PaymentIntent, type SetupFutureUsage } from '../objects';
import type { Metadata } from '../params';
import { createCharge } from './charges';
import { assertUsablePaymentMethod, paymentMethodOutcome, saveForFutureUse } from './payment-methods';
import type { CardOutcome } from './test-cards';

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  metadata: Metadata;
  description: string | null;
  captureMethod: CaptureMethod;
  automaticPaymentMethods: PaymentIntent['automatic_payment_methods'];
  allowedPaymentMethodTypes: string[] | null;
  paymentMethod: string | null;
  receiptEmail: string | null;
  transferGroup: string | null;
  customer: string | null;
  setupFutureUsage: SetupFutureUsage | null;
}

export function insertPaymentIntent(env: Env, fields: NewPaymentIntent, ctx: ExecutionContext): PaymentIntent {
  const id = newId('pi');
  const intent: PaymentIntent = {
    id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_capturable: 0,
    amount_received: 0,
    allowed_payment_method_types: fields.allowedPaymentMethodTypes,
    automatic_payment_methods: fields.automaticPaymentMethods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: `${id}_secret_${newId('x').slice(2)}`,
    confirmation_method: 'automatic',
    created: nowSeconds(),
    currency: fields.currency,
    customer: fields.customer,
    description: fields.description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: fields.metadata,
    next_action: null,
    payment_method: fields.paymentMethod,
    payment_method_types: ['card'],
    receipt_email: fields.receiptEmail,
    setup_future_usage: fields.setupFutureUsage,
    status: fields.paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    transfer_group: fields.transferGroup,
  };
  env.state.paymentIntents.set(id, intent);
  env.state.recordCreation('payment_intent', id, ctx.requestId);
  env.events.emit('payment_intent.created', intent, ctx);
  return intent;
}

/**
 * Checks made before anything changes, so a refused confirmation (also the
 * confirm=true of a create) leaves no trace, as in Stripe.
 */
export function assertConfirmable(
  env: Env,
  setup: Pick<PaymentIntent, 'automatic_payment_methods' | 'allowed_payment_method_types' | 'customer'>,
  paymentMethod: string | null | undefined,
  returnUrl: string | undefined,
): asserts paymentMethod is string {
  if (!paymentMethod) {
    throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. Pass `payment_method` to confirm it.", {
      code: 'payment_intent_unexpected_state',
      param: 'payment_method',
    });
  }
  assertUsablePaymentMethod(env, paymentMethod, setup.customer);
  const automatic = setup.automatic_payment_methods;
  // Cards never redirect, so a card-only filter needs no return_url either.
  const cardOnly = setup.allowed_payment_method_types?.every((type) => type === 'card') === true;
  const mayRedirect = automatic?.enabled === true && automatic.allow_redirects !== 'never' && !cardOnly;
  if (mayRedirect && !returnUrl) {
    throw invalidRequest(
      'This PaymentIntent accepts the payment methods enabled in your Dashboard, and some of them may redirect the customer, ' +
        'so confirming it needs a `return_url`. To accept only payment methods without redirects, set ' +
        '`automatic_payment_methods[enabled]=true` and `automatic_payment_methods[allow_redirects]=never`.',
      { param: 'return_url' },
    );
  }
}

/**
 * Runs the card's outcome. Returns the 402 to answer when the card is
 * declined, or when an off-session payment would need the customer (who is
 * not there) to authenticate.
 */
export function runConfirmation(
  env: Env,
  intent: PaymentIntent,
  paymentMethod: string,
  returnUrl: string | undefined,
  ctx: ExecutionContext,
  offSession = false,
): ApiError | null {
  intent.payment_method = paymentMethod;
  intent.last_payment_error = null;
  intent.next_action = null;
  const outcome = offSession ? offSessionOutcome(env, intent, paymentMethod) : paymentMethodOutcome(env, paymentMethod);
  switch (outcome.kind) {
    case 'success':
      settleSuccessfulPayment(env, intent, ctx);
      return null;
    case 'authentication_required':
      intent.status = 'requires_action';
      intent.next_action = nextActionFor(env, intent, returnUrl);
      if (offSession) return refuseOffSessionAuthentication(env, intent, paymentMethod, ctx);
      env.events.emit('payment_intent.requires_action', intent, ctx);
      return null;
    case 'decline':
      return recordDecline(env, intent, paymentMethod, outcome, ctx);
  }
}

/** A failure a test armed for the customer's next off-session charge (used up here), else the card's own outcome. */
function offSessionOutcome(env: Env, intent: PaymentIntent, paymentMethod: string): CardOutcome {
  const armed = intent.customer === null ? undefined : env.state.offSessionFailures.get(intent.customer);
  if (armed === undefined || intent.customer === null) return paymentMethodOutcome(env, paymentMethod);
  env.state.offSessionFailures.delete(intent.customer);
  if (armed === 'authentication_required') return { kind: 'authentication_required' };
  return { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' };
}

/**
 * Off session nobody can answer a 3-D Secure challenge: Stripe refuses with a
 * card error `authentication_required` and leaves the PaymentIntent in
 * requires_action, for the customer to finish on session.
 */
function refuseOffSessionAuthentication(env: Env, intent: PaymentIntent, paymentMethod: string, ctx: ExecutionContext): ApiError {
  intent.last_payment_error = withDocUrl({
    type: 'card_error',
    code: 'authentication_required',
    decline_code: 'authentication_required',
    message: 'Your card was declined. This transaction requires authentication.',
    payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' },
  } satisfies PaymentError);
  env.events.emit('payment_intent.requires_action', intent, ctx);
  return new ApiError(402, { ...intent.last_payment_error, payment_intent: snapshot(intent) });
}

function nextActionFor(env: Env, intent: PaymentIntent, returnUrl: string | undefined): NextAction {
  const challengeUrl = `${env.baseUrl}/_emulator/authenticate/${intent.id}`;
  // A server-side confirmation with return_url is answered with a redirect; otherwise Stripe.js handles it.
  if (returnUrl) return { type: 'redirect_to_url', redirect_to_url: { url: challengeUrl, return_url: returnUrl } };
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: challengeUrl } };
}

export function settleSuccessfulPayment(env: Env, intent: PaymentIntent, ctx: ExecutionContext): void {
  saveForFutureUse(env, intent, ctx);
  const manual = intent.capture_method === 'manual';
  const charge = createCharge(env, intent, { status: 'succeeded', captured: !manual });
  intent.latest_charge = charge.id;
  intent.next_action = null;
  env.events.emit('charge.succeeded', charge, ctx);
  if (manual) {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    env.events.emit('payment_intent.amount_capturable_updated', intent, ctx);
    return;
  }
  intent.status = 'succeeded';
  intent.amount_received = intent.amount;
  env.events.emit('payment_intent.succeeded', intent, ctx);
}

function recordDecline(
  env: Env,
  intent: PaymentIntent,
  paymentMethod: string,
  outcome: { code: string; declineCode?: string; message: string },
  ctx: ExecutionContext,
): ApiError {
  const charge = createCharge(env, intent, { status: 'failed', code: outcome.code, message: outcome.message });
  const error: PaymentError = {
    type: 'card_error',
    code: outcome.code,
    message: outcome.message,
    charge: charge.id,
    payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' },
  };
  if (outcome.declineCode) error.decline_code = outcome.declineCode;
  intent.latest_charge = charge.id;
  intent.status = 'requires_payment_method';
  // Stripe detaches the failed method; it stays visible on last_payment_error.
  intent.payment_method = null;
  intent.last_payment_error = withDocUrl(error);
  env.events.emit('charge.failed', charge, ctx);
  env.events.emit('payment_intent.payment_failed', intent, ctx);
  const body: StripeErrorBody = { ...intent.last_payment_error, payment_intent: snapshot(intent) };
  return new ApiError(402, body);
}

/** The buyer finishing (or failing) the 3DS challenge of a `requires_action` PaymentIntent. */
export function completeAuthentication(env: Env, intent: PaymentIntent, succeed: boolean, ctx: ExecutionContext): void {
  if (intent.status !== 'requires_action') {
    throw invalidRequest(`PaymentIntent ${intent.id} is ${intent.status}, not requires_action: there is no authentication to complete`, {
      code: 'payment_intent_unexpected_state',
    });
  }
  if (succeed) {
    settleSuccessfulPayment(env, intent, ctx);
    return;
  }
  const failedMethod = intent.payment_method ?? '';
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.payment_method = null;
  intent.last_payment_error = withDocUrl({
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    message: 'The provided PaymentMethod has failed authentication. Provide a new payment method to attempt this payment again.',
    payment_method: { id: failedMethod, object: 'payment_method', type: 'card' },
  } satisfies PaymentError);
  env.events.emit('payment_intent.payment_failed', intent, ctx);
}
