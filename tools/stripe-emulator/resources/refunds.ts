import { ok, pathParam, type ApiCall, type ApiResult, type Env, type RouteDef } from '../context';
import { invalidRequest, resourceMissing } from '../errors';
import type { ExecutionContext } from '../events/event-log';
import { newId, nowSeconds } from '../ids';
import { formatMinorUnits } from '../money';
import type { Charge, Refund, RefundReason } from '../objects';
import type { Params } from '../params';
import { requireCharge } from './charges';
import { filterByParams, listResponse } from './lists';
import { requirePaymentIntent } from './payment-intents';

const REFUND_REASONS: readonly RefundReason[] = ['duplicate', 'fraudulent', 'requested_by_customer'];

export function requireRefund(env: Env, id: string): Refund {
  const refund = env.state.refunds.get(id);
  if (!refund) throw resourceMissing('refund', id);
  return refund;
}

/** The captured charge a refund draws on, named either through its PaymentIntent or directly. */
function refundableCharge(env: Env, params: Params): Charge {
  const paymentIntentId = params.string('payment_intent');
  const chargeId = params.string('charge');
  if (paymentIntentId === undefined && chargeId === undefined) {
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.');
  }
  let charge: Charge | undefined;
  if (paymentIntentId !== undefined) {
    const intent = requirePaymentIntent(env, paymentIntentId, 'payment_intent');
    charge = intent.latest_charge ? env.state.charges.get(intent.latest_charge) : undefined;
    if (!charge || intent.status !== 'succeeded') {
      throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
    }
  }
  if (chargeId !== undefined) {
    const named = requireCharge(env, chargeId, 'charge');
    if (charge && charge.id !== named.id) throw invalidRequest('The charge does not belong to the given payment_intent.', { param: 'charge' });
    charge = named;
  }
  if (!charge || charge.status !== 'succeeded' || !charge.captured) {
    throw invalidRequest('This charge has not been captured, so there is nothing to refund.', { param: 'charge' });
  }
  return charge;
}

function createRefund({ env, params, ctx }: ApiCall): ApiResult {
  params.rejectUnknown(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'refund_application_fee', 'reverse_transfer']);
  const reason = params.oneOf('reason', REFUND_REASONS) ?? null;
  const metadata = params.metadata();
  params.boolean('refund_application_fee');
  params.boolean('reverse_transfer');
  const charge = refundableCharge(env, params);
  // Pending refunds already count against the charge, as in Stripe.
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = params.integer('amount', { min: 1 }) ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatMinorUnits(amount, charge.currency)} ${charge.currency}) is greater than the unrefunded amount ` +
        `on charge (${formatMinorUnits(remaining, charge.currency)} ${charge.currency})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const refund: Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    failure_reason: null,
    livemode: false,
    metadata,
    payment_intent: charge.payment_intent,
    reason,
    status: env.state.holdNextRefund ? 'pending' : 'succeeded',
  };
  env.state.holdNextRefund = false;
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  env.state.refunds.set(refund.id, refund);
  env.state.recordCreation('refund', refund.id, ctx.requestId);
  env.events.emit('refund.created', refund, ctx);
  env.events.emit('charge.refunded', charge, ctx);
  return ok(refund);
}

/** Settles a refund held `pending`; a failed one gives its amount back to the charge. */
export function settleRefund(env: Env, refund: Refund, outcome: 'succeeded' | 'failed', ctx: ExecutionContext): void {
  if (refund.status !== 'pending') throw invalidRequest(`Refund ${refund.id} is ${refund.status}, not pending.`);
  refund.status = outcome;
  if (outcome === 'failed') {
    refund.failure_reason = 'unknown';
    const charge = env.state.charges.get(refund.charge);
    if (charge) {
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
    }
  }
  env.events.emit('refund.updated', refund, ctx, { status: 'pending' });
  if (outcome === 'failed') env.events.emit('refund.failed', refund, ctx);
}

function retrieveRefund(call: ApiCall): ApiResult {
  call.params.rejectUnknown([]);
  return ok(requireRefund(call.env, pathParam(call, 'id')));
}

function listRefunds({ env, params }: ApiCall): ApiResult {
  params.rejectUnknown(['payment_intent', 'charge', 'limit']);
  const matching = filterByParams(env.state.refunds.values(), params, ['payment_intent', 'charge']);
  return ok(listResponse('/v1/refunds', matching, params));
}

export const refundRoutes: RouteDef[] = [
  { method: 'POST', path: '/v1/refunds', handler: createRefund },
  { method: 'GET', path: '/v1/refunds', handler: listRefunds },
  { method: 'GET', path: '/v1/refunds/:id', handler: retrieveRefund },
];
