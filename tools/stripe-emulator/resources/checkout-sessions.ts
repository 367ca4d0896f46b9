import { ok, pathParam, type ApiCall, type ApiResult, type Env, type RouteDef } from '../context';
import { invalidRequest, resourceMissing } from '../errors';
import type { ExecutionContext } from '../events/event-log';
import { newId, nowSeconds } from '../ids';
import { MAX_AMOUNT, assertChargeable, readCurrency } from '../money';
import { SETUP_FUTURE_USAGES, type CheckoutSession } from '../objects';
import type { Params } from '../params';
import type { CheckoutDetails, CheckoutLineItem } from '../state';
import { readEmail, requireCustomer } from './customers';
import { listResponse } from './lists';
import { completeAuthentication, insertPaymentIntent, runConfirmation } from './payment-flow';
import { readAllowedPaymentMethodTypes } from './payment-intents';

const CREATE_PARAMS = [
  'mode',
  'line_items',
  'success_url',
  'cancel_url',
  'expires_at',
  'metadata',
  'payment_intent_data',
  'customer',
  'customer_email',
  'client_reference_id',
  'allowed_payment_method_types',
];
// Stripe's window for expires_at: 30 minutes to 24 hours after creation.
const MIN_LIFETIME_SECONDS = 30 * 60;
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
const MAX_QUANTITY = 999_999;

export function requireCheckoutSession(env: Env, id: string): CheckoutSession {
  const session = env.state.checkoutSessions.get(id);
  if (!session) throw resourceMissing('checkout.session', id);
  return session;
}

function readLineItems(params: Params): { items: CheckoutLineItem[]; currency: string } {
  const entries = params.array('line_items');
  if (!entries || entries.length === 0) throw params.missing('line_items');
  let currency: string | undefined;
  const items = entries.map((entry) => {
    entry.rejectUnknown(['price_data', 'quantity', 'price']);
    const priceId = entry.string('price');
    // There is no Prices API in the emulator, so every price id is unknown.
    if (priceId !== undefined) throw invalidRequest(`No such price: '${priceId}'`, { code: 'resource_missing', param: entry.nameOf('price') });
    const priceData = entry.object('price_data');
    if (!priceData) throw entry.missing('price_data');
    priceData.rejectUnknown(['currency', 'unit_amount', 'product_data']);
    const itemCurrency = readCurrency(priceData);
    if (currency !== undefined && itemCurrency !== currency) {
      throw invalidRequest('All line items must use the same currency.', { param: priceData.nameOf('currency') });
    }
    currency = itemCurrency;
    const productData = priceData.object('product_data');
    if (!productData) throw priceData.missing('product_data');
    productData.rejectUnknown(['name', 'description', 'metadata', 'images']);
    productData.metadata();
    return {
      name: productData.requiredString('name'),
      unitAmount: priceData.requiredInteger('unit_amount', { min: 0, max: MAX_AMOUNT }),
      quantity: entry.requiredInteger('quantity', { min: 1, max: MAX_QUANTITY }),
    };
  });
  return { items, currency: currency ?? '' };
}

function readExpiresAt(params: Params, now: number): number {
  const expiresAt = params.integer('expires_at');
  if (expiresAt === undefined) return now + MAX_LIFETIME_SECONDS;
  if (expiresAt < now + MIN_LIFETIME_SECONDS || expiresAt > now + MAX_LIFETIME_SECONDS) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', {
      param: 'expires_at',
    });
  }
  return expiresAt;
}

function readPaymentIntentData(params: Params): CheckoutDetails['paymentIntentData'] {
  const data = params.object('payment_intent_data');
  if (!data) return { metadata: {}, description: null, transferGroup: null, setupFutureUsage: null };
  data.rejectUnknown(['metadata', 'description', 'transfer_group', 'setup_future_usage']);
  return {
    metadata: data.metadata(),
    description: data.string('description', { maxLength: 1000 }) ?? null,
    transferGroup: data.string('transfer_group') ?? null,
    setupFutureUsage: data.oneOf('setup_future_usage', SETUP_FUTURE_USAGES) ?? null,
  };
}

function createCheckoutSession({ env, params, ctx }: ApiCall): ApiResult {
  params.rejectUnknown(CREATE_PARAMS);
  const mode = params.oneOf('mode', ['payment', 'setup', 'subscription'] as const);
  if (mode === undefined) throw params.missing('mode');
  if (mode !== 'payment') throw invalidRequest(`The emulator supports only mode=payment, not ${mode}.`, { param: 'mode' });
  const { items, currency } = readLineItems(params);
  const total = items.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  if (total > MAX_AMOUNT) throw invalidRequest(`The total amount must be at most ${MAX_AMOUNT}.`, { code: 'amount_too_large', param: 'line_items' });
  assertChargeable(total, currency, 'line_items');
  const allowedTypes = readAllowedPaymentMethodTypes(params);
  const customerEmail = readEmail(params, 'customer_email', 800);
  const customer = params.string('customer') ?? null;
  if (customer !== null) {
    if (customerEmail !== null) throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', { param: 'customer_email' });
    requireCustomer(env, customer, 'customer');
  }
  const now = nowSeconds();
  const id = newId('cs_test', 58);
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    allowed_payment_method_types: allowedTypes,
    amount_subtotal: total,
    amount_total: total,
    cancel_url: params.url('cancel_url') ?? null,
    client_reference_id: params.string('client_reference_id', { maxLength: 200 }) ?? null,
    created: now,
    currency,
    customer,
    customer_email: customerEmail,
    expires_at: readExpiresAt(params, now),
    livemode: false,
    metadata: params.metadata(),
    mode,
    payment_intent: null,
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    status: 'open',
    success_url: params.url('success_url') ?? null,
    url: `${env.baseUrl}/_emulator/checkout/${id}`,
  };
  const details: CheckoutDetails = { lineItems: items, paymentIntentData: readPaymentIntentData(params) };
  env.state.checkoutSessions.set(id, session);
  env.state.checkoutDetails.set(id, details);
  env.state.recordCreation('checkout.session', id, ctx.requestId);
  return ok(session);
}

/** Stripe expires sessions in the background; the emulator does it when a late session is next touched. */
function expireIfDue(env: Env, session: CheckoutSession, ctx: ExecutionContext): void {
  if (session.status === 'open' && nowSeconds() >= session.expires_at) expireSession(env, session, ctx);
}

export function expireSession(env: Env, session: CheckoutSession, ctx: ExecutionContext): void {
  if (session.status !== 'open') {
    throw invalidRequest(`Only Checkout Sessions with status "open" can be expired; this one is ${session.status}.`);
  }
  session.status = 'expired';
  session.url = null;
  const intent = session.payment_intent ? env.state.paymentIntents.get(session.payment_intent) : undefined;
  if (intent && intent.status !== 'succeeded' && intent.status !== 'canceled') {
    intent.status = 'canceled';
    intent.canceled_at = nowSeconds();
    intent.cancellation_reason = 'abandoned';
    env.events.emit('payment_intent.canceled', intent, ctx);
  }
  env.events.emit('checkout.session.expired', session, ctx);
}

/**
 * The buyer paying on the hosted page. Like Checkout, the PaymentIntent is
 * created at payment time and carries payment_intent_data. A declined card
 * leaves the session open for another try; a 3DS card is authenticated on the
 * page itself. Returns whether the session is now paid.
 */
export function payCheckoutSession(env: Env, session: CheckoutSession, paymentMethod: string, ctx: ExecutionContext): boolean {
  expireIfDue(env, session, ctx);
  if (session.status !== 'open') throw invalidRequest(`Checkout Session ${session.id} is ${session.status} and cannot be paid.`);
  const details = env.state.checkoutDetails.get(session.id);
  if (!details) throw new Error(`Checkout Session ${session.id} has no stored details`);
  const existing = session.payment_intent ? env.state.paymentIntents.get(session.payment_intent) : undefined;
  const intent =
    existing ??
    insertPaymentIntent(
      env,
      {
        amount: session.amount_total,
        currency: session.currency,
        metadata: { ...details.paymentIntentData.metadata },
        description: details.paymentIntentData.description,
        captureMethod: 'automatic_async',
        automaticPaymentMethods: null,
        allowedPaymentMethodTypes: session.allowed_payment_method_types,
        paymentMethod: null,
        receiptEmail: session.customer_email,
        transferGroup: details.paymentIntentData.transferGroup,
        customer: session.customer,
        setupFutureUsage: details.paymentIntentData.setupFutureUsage,
      },
      ctx,
    );
  session.payment_intent = intent.id;
  if (runConfirmation(env, intent, paymentMethod, undefined, ctx)) return false;
  if (intent.status === 'requires_action') completeAuthentication(env, intent, true, ctx);
  session.status = 'complete';
  session.payment_status = 'paid';
  session.url = null;
  env.events.emit('checkout.session.completed', session, ctx);
  return true;
}

function retrieveCheckoutSession(call: ApiCall): ApiResult {
  call.params.rejectUnknown([]);
  const session = requireCheckoutSession(call.env, pathParam(call, 'id'));
  expireIfDue(call.env, session, call.ctx);
  return ok(session);
}

function expireCheckoutSession(call: ApiCall): ApiResult {
  call.params.rejectUnknown([]);
  const session = requireCheckoutSession(call.env, pathParam(call, 'id'));
  expireSession(call.env, session, call.ctx);
  return ok(session);
}

function listCheckoutSessions({ env, params, ctx }: ApiCall): ApiResult {
  params.rejectUnknown(['payment_intent', 'status', 'limit']);
  const paymentIntent = params.string('payment_intent');
  const status = params.oneOf('status', ['open', 'complete', 'expired'] as const);
  const sessions = [...env.state.checkoutSessions.values()];
  for (const session of sessions) expireIfDue(env, session, ctx);
  const matching = sessions.filter(
    (session) => (paymentIntent === undefined || session.payment_intent === paymentIntent) && (status === undefined || session.status === status),
  );
  return ok(listResponse('/v1/checkout/sessions', matching, params));
}

export const checkoutSessionRoutes: RouteDef[] = [
  { method: 'POST', path: '/v1/checkout/sessions', handler: createCheckoutSession },
  { method: 'GET', path: '/v1/checkout/sessions', handler: listCheckoutSessions },
  { method: 'GET', path: '/v1/checkout/sessions/:id', handler: retrieveCheckoutSession },
  { method: 'POST', path: '/v1/checkout/sessions/:id/expire', handler: expireCheckoutSession },
];
