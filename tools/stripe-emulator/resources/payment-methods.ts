/**
 * Saved PaymentMethods. A payment made with `setup_future_usage` turns the
 * buyer's card into a PaymentMethod of its own, with a NEW id, attached to
 * the payment's Customer; later (off-session) payments name that id. A saved
 * method charges like the test card it was made from.
 */
import { ok, pathParam, type ApiCall, type ApiResult, type Env, type RouteDef } from '../context';
import { invalidRequest, resourceMissing } from '../errors';
import type { ExecutionContext } from '../events/event-log';
import { newId, nowSeconds } from '../ids';
import type { PaymentIntent, PaymentMethod } from '../objects';
import { requireCustomer } from './customers';
import { listResponse } from './lists';
import { assertPaymentMethodId, cardOutcome, testCardDetails, type CardOutcome } from './test-cards';

/**
 * Checked before anything changes: a test card, or a saved method that
 * belongs to the payment's customer (Stripe refuses another's, and one that
 * was never attached).
 */
export function assertUsablePaymentMethod(env: Env, paymentMethod: string, customer: string | null, param = 'payment_method'): void {
  const saved = env.state.paymentMethods.get(paymentMethod);
  if (!saved) {
    assertPaymentMethodId(paymentMethod, param);
    return;
  }
  if (saved.customer === null) {
    throw invalidRequest(
      'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment and may not be used again. ' +
        'To use a PaymentMethod multiple times, attach it to a Customer first.',
      { param },
    );
  }
  if (customer === null) {
    throw invalidRequest(`The provided PaymentMethod belongs to Customer ${saved.customer}: pass that Customer as \`customer\` to use it.`, {
      param: 'customer',
    });
  }
  if (saved.customer !== customer) throw invalidRequest(`The provided PaymentMethod belongs to another Customer than ${customer}.`, { param });
}

/** What confirming with a test card, or a method saved from one, does. */
export function paymentMethodOutcome(env: Env, paymentMethod: string): CardOutcome {
  return cardOutcome(env.state.paymentMethodSources.get(paymentMethod) ?? paymentMethod);
}

/**
 * After a successful payment with `setup_future_usage`: the test card it was
 * made with becomes a saved PaymentMethod (new id, attached to the customer),
 * and the PaymentIntent names the saved one from then on. A method that is
 * already saved stays as it is.
 */
export function saveForFutureUse(env: Env, intent: PaymentIntent, ctx: ExecutionContext): void {
  const source = intent.payment_method;
  if (intent.setup_future_usage === null || source === null || env.state.paymentMethods.has(source)) return;
  const { brand, last4 } = testCardDetails(source);
  const saved: PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    type: 'card',
    card: { brand, last4, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3 },
    created: nowSeconds(),
    customer: intent.customer,
    livemode: false,
    metadata: {},
  };
  env.state.paymentMethods.set(saved.id, saved);
  env.state.paymentMethodSources.set(saved.id, source);
  intent.payment_method = saved.id;
  if (saved.customer !== null) env.events.emit('payment_method.attached', saved, ctx);
}

function retrievePaymentMethod(call: ApiCall): ApiResult {
  call.params.rejectUnknown([]);
  const id = pathParam(call, 'id');
  const saved = call.env.state.paymentMethods.get(id);
  if (!saved) throw resourceMissing('payment_method', id);
  return ok(saved);
}

function listCustomerPaymentMethods(call: ApiCall): ApiResult {
  call.params.rejectUnknown(['limit', 'type']);
  const customer = requireCustomer(call.env, pathParam(call, 'id'));
  call.params.oneOf('type', ['card'] as const);
  const attached = [...call.env.state.paymentMethods.values()].filter((method) => method.customer === customer.id);
  return ok(listResponse(`/v1/customers/${customer.id}/payment_methods`, attached, call.params));
}

export const paymentMethodRoutes: RouteDef[] = [
  { method: 'GET', path: '/v1/payment_methods/:id', handler: retrievePaymentMethod },
  { method: 'GET', path: '/v1/customers/:id/payment_methods', handler: listCustomerPaymentMethods },
];
