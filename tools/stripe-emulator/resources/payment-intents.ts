import { ok, pathParam, type ApiCall, type ApiResult, type Env, type RouteDef } from '../context';
import { invalidRequest, resourceMissing } from '../errors';
import { nowSeconds } from '../ids';
import { assertChargeable, readAmount, readCurrency } from '../money';
import { SETUP_FUTURE_USAGES, type CaptureMethod, type PaymentIntent, type PaymentIntentStatus } from '../objects';
import type { Params } from '../params';
import { requireCustomer } from './customers';
import { assertConfirmable, insertPaymentIntent, runConfirmation } from './payment-flow';
import { assertUsablePaymentMethod } from './payment-methods';
import { matchesSearch, parseSearchQuery } from './search-query';

const CREATE_PARAMS = [
  'amount',
  'currency',
  'payment_method',
  'allowed_payment_method_types',
  'confirm',
  'capture_method',
  'metadata',
  'return_url',
  'automatic_payment_methods',
  'description',
  'receipt_email',
  'statement_descriptor_suffix',
  'transfer_group',
  'customer',
  'setup_future_usage',
  'off_session',
];
const CAPTURE_METHODS: readonly CaptureMethod[] = ['automatic', 'automatic_async', 'manual'];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const CANCELABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const SEARCHABLE_FIELDS = ['status', 'currency', 'amount'];

export function requirePaymentIntent(env: Env, id: string, param = 'id'): PaymentIntent {
  const intent = env.state.paymentIntents.get(id);
  if (!intent) throw resourceMissing('payment_intent', id, param);
  return intent;
}

function unexpectedState(intent: PaymentIntent, action: string): Error {
  return invalidRequest(`You cannot ${action} this PaymentIntent because it has a status of ${intent.status}.`, {
    code: 'payment_intent_unexpected_state',
  });
}

/**
 * Automatic payment methods are on by default (since API 2023-08-16).
 * `allowed_payment_method_types` filters them; the emulator knows only cards.
 */
function readPaymentMethodSetup(params: Params): Pick<PaymentIntent, 'automatic_payment_methods' | 'allowed_payment_method_types'> {
  const allowed = readAllowedPaymentMethodTypes(params);
  const automatic = params.object('automatic_payment_methods');
  if (!automatic) return { automatic_payment_methods: { enabled: true, allow_redirects: 'always' }, allowed_payment_method_types: allowed };
  automatic.rejectUnknown(['enabled', 'allow_redirects']);
  const enabled = automatic.boolean('enabled');
  if (enabled === undefined) throw automatic.missing('enabled');
  const allowRedirects = automatic.oneOf('allow_redirects', ['always', 'never'] as const) ?? 'always';
  return { automatic_payment_methods: { enabled, allow_redirects: allowRedirects }, allowed_payment_method_types: allowed };
}

export function readAllowedPaymentMethodTypes(params: Params): string[] | null {
  const types = params.stringArray('allowed_payment_method_types');
  if (!types) return null;
  const unsupported = types.find((type) => type !== 'card');
  if (unsupported !== undefined) {
    throw invalidRequest(`The emulator supports only the card payment method type, not ${unsupported}.`, {
      param: 'allowed_payment_method_types',
    });
  }
  return types;
}

/** `off_session`: true, or Stripe's finer `one_off` / `recurring`; all mean the customer is not there to authenticate. */
function readOffSession(params: Params): boolean {
  const value = params.oneOf('off_session', ['true', 'false', 'one_off', 'recurring'] as const);
  return value !== undefined && value !== 'false';
}

function readCustomer(env: Env, params: Params): string | null {
  const customer = params.string('customer') ?? null;
  if (customer !== null) requireCustomer(env, customer, 'customer');
  return customer;
}

function createPaymentIntent({ env, params, ctx }: ApiCall): ApiResult {
  params.rejectUnknown(CREATE_PARAMS);
  const amount = readAmount(params);
  const currency = readCurrency(params);
  assertChargeable(amount, currency);
  const setup = readPaymentMethodSetup(params);
  const paymentMethod = params.string('payment_method') ?? null;
  const returnUrl = params.url('return_url');
  const confirm = params.boolean('confirm') ?? false;
  const offSession = readOffSession(params);
  if (offSession && !confirm) throw invalidRequest('`off_session` can only be used when `confirm` is true.', { param: 'off_session' });
  const fields = {
    amount,
    currency,
    metadata: params.metadata(),
    description: params.string('description', { maxLength: 1000 }) ?? null,
    captureMethod: params.oneOf('capture_method', CAPTURE_METHODS) ?? 'automatic_async',
    automaticPaymentMethods: setup.automatic_payment_methods,
    allowedPaymentMethodTypes: setup.allowed_payment_method_types,
    paymentMethod,
    receiptEmail: params.string('receipt_email') ?? null,
    transferGroup: params.string('transfer_group') ?? null,
    customer: readCustomer(env, params),
    setupFutureUsage: params.oneOf('setup_future_usage', SETUP_FUTURE_USAGES) ?? null,
  };
  // Accepted for realism, validated, otherwise without effect in the emulator.
  params.string('statement_descriptor_suffix', { maxLength: 22 });
  if (!confirm) {
    if (paymentMethod) assertUsablePaymentMethod(env, paymentMethod, fields.customer);
    return ok(insertPaymentIntent(env, fields, ctx));
  }
  assertConfirmable(env, { ...setup, customer: fields.customer }, paymentMethod, returnUrl);
  const intent = insertPaymentIntent(env, fields, ctx);
  if (returnUrl) env.state.paymentIntentReturnUrls.set(intent.id, returnUrl);
  const declined = runConfirmation(env, intent, paymentMethod, returnUrl, ctx, offSession);
  if (declined) throw declined;
  return ok(intent);
}

function retrievePaymentIntent(call: ApiCall): ApiResult {
  call.params.rejectUnknown(['client_secret']);
  return ok(requirePaymentIntent(call.env, pathParam(call, 'id')));
}

function confirmPaymentIntent(call: ApiCall): ApiResult {
  const { env, params, ctx } = call;
  params.rejectUnknown(['payment_method', 'return_url', 'receipt_email', 'off_session']);
  const intent = requirePaymentIntent(env, pathParam(call, 'id'));
  if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation') throw unexpectedState(intent, 'confirm');
  const paymentMethod = params.string('payment_method') ?? intent.payment_method;
  const returnUrl = params.url('return_url') ?? env.state.paymentIntentReturnUrls.get(intent.id);
  const offSession = readOffSession(params);
  assertConfirmable(env, intent, paymentMethod, returnUrl);
  if (returnUrl) env.state.paymentIntentReturnUrls.set(intent.id, returnUrl);
  const receiptEmail = params.string('receipt_email');
  if (receiptEmail !== undefined) intent.receipt_email = receiptEmail;
  const declined = runConfirmation(env, intent, paymentMethod, returnUrl, ctx, offSession);
  if (declined) throw declined;
  return ok(intent);
}

function cancelPaymentIntent(call: ApiCall): ApiResult {
  const { env, params, ctx } = call;
  params.rejectUnknown(['cancellation_reason']);
  const intent = requirePaymentIntent(env, pathParam(call, 'id'));
  const reason = params.oneOf('cancellation_reason', CANCELLATION_REASONS) ?? null;
  if (!CANCELABLE.includes(intent.status)) throw unexpectedState(intent, 'cancel');
  intent.status = 'canceled';
  intent.canceled_at = nowSeconds();
  intent.cancellation_reason = reason;
  intent.amount_capturable = 0;
  intent.next_action = null;
  env.events.emit('payment_intent.canceled', intent, ctx);
  return ok(intent);
}

function capturePaymentIntent(call: ApiCall): ApiResult {
  const { env, params, ctx } = call;
  params.rejectUnknown(['amount_to_capture']);
  const intent = requirePaymentIntent(env, pathParam(call, 'id'));
  if (intent.status !== 'requires_capture') throw unexpectedState(intent, 'capture');
  const amount = params.integer('amount_to_capture', { min: 1 }) ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    throw invalidRequest(`amount_to_capture (${amount}) exceeds the capturable amount (${intent.amount_capturable}).`, {
      code: 'amount_too_large',
      param: 'amount_to_capture',
    });
  }
  const charge = env.state.charges.get(intent.latest_charge ?? '');
  if (charge) {
    charge.captured = true;
    charge.amount_captured = amount;
    env.events.emit('charge.captured', charge, ctx);
  }
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  intent.status = 'succeeded';
  env.events.emit('payment_intent.succeeded', intent, ctx);
  return ok(intent);
}

function searchPaymentIntents({ env, params }: ApiCall): ApiResult {
  params.rejectUnknown(['query', 'limit', 'page']);
  const clauses = parseSearchQuery(params.requiredString('query'), SEARCHABLE_FIELDS);
  const limit = params.integer('limit', { min: 1, max: 100 }) ?? 10;
  const matches = [...env.state.paymentIntents.values()]
    .filter((intent) => matchesSearch(intent, clauses))
    .reverse()
    .sort((a, b) => b.created - a.created);
  return ok({
    object: 'search_result',
    data: matches.slice(0, limit),
    has_more: matches.length > limit,
    next_page: null,
    url: '/v1/payment_intents/search',
  });
}

export const paymentIntentRoutes: RouteDef[] = [
  { method: 'POST', path: '/v1/payment_intents', handler: createPaymentIntent },
  // Before `/:id`, which would otherwise take "search" for an id.
  { method: 'GET', path: '/v1/payment_intents/search', handler: searchPaymentIntents },
  { method: 'GET', path: '/v1/payment_intents/:id', handler: retrievePaymentIntent },
  { method: 'POST', path: '/v1/payment_intents/:id/confirm', handler: confirmPaymentIntent },
  { method: 'POST', path: '/v1/payment_intents/:id/cancel', handler: cancelPaymentIntent },
  { method: 'POST', path: '/v1/payment_intents/:id/capture', handler: capturePaymentIntent },
];
