import { ok, pathParam, type ApiCall, type Env, type RouteDef } from '../context';
import { resourceMissing } from '../errors';
import { newId, nowSeconds } from '../ids';
import type { Charge, PaymentIntent } from '../objects';

export function createCharge(
  env: Env,
  intent: PaymentIntent,
  outcome: { status: 'succeeded'; captured: boolean } | { status: 'failed'; code: string; message: string },
): Charge {
  const succeeded = outcome.status === 'succeeded';
  const captured = succeeded && outcome.captured;
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    captured,
    created: nowSeconds(),
    currency: intent.currency,
    failure_code: succeeded ? null : outcome.code,
    failure_message: succeeded ? null : outcome.message,
    livemode: false,
    metadata: { ...intent.metadata },
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: intent.payment_method ?? '',
    refunded: false,
    status: outcome.status,
    transfer_group: intent.transfer_group,
  };
  env.state.charges.set(charge.id, charge);
  return charge;
}

export function requireCharge(env: Env, id: string, param = 'id'): Charge {
  const charge = env.state.charges.get(id);
  if (!charge) throw resourceMissing('charge', id, param);
  return charge;
}

function retrieveCharge(call: ApiCall) {
  call.params.rejectUnknown([]);
  return ok(requireCharge(call.env, pathParam(call, 'id')));
}

export const chargeRoutes: RouteDef[] = [{ method: 'GET', path: '/v1/charges/:id', handler: retrieveCharge }];
