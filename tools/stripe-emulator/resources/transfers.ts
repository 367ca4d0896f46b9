import { ok, pathParam, type ApiCall, type ApiResult, type Env, type RouteDef } from '../context';
import { invalidRequest, resourceMissing } from '../errors';
import { newId, nowSeconds } from '../ids';
import { readAmount, readCurrency } from '../money';
import type { Transfer, TransferReversal } from '../objects';
import { requireCharge } from './charges';
import { filterByParams, listResponse } from './lists';

const CONNECTED_ACCOUNT_ID = /^acct_[A-Za-z0-9]+$/;

export function requireTransfer(env: Env, id: string): Transfer {
  const transfer = env.state.transfers.get(id);
  if (!transfer) throw resourceMissing('transfer', id);
  return transfer;
}

function createTransfer({ env, params, ctx }: ApiCall): ApiResult {
  params.rejectUnknown(['amount', 'currency', 'destination', 'transfer_group', 'metadata', 'source_transaction', 'description']);
  const amount = readAmount(params);
  const currency = readCurrency(params);
  const destination = params.requiredString('destination');
  if (!CONNECTED_ACCOUNT_ID.test(destination)) {
    throw invalidRequest(`No such destination: '${destination}'`, { code: 'resource_missing', param: 'destination' });
  }
  const sourceTransaction = params.string('source_transaction') ?? null;
  if (sourceTransaction !== null) {
    const charge = requireCharge(env, sourceTransaction, 'source_transaction');
    // A transfer funded by a charge cannot move more than that charge brought in.
    if (charge.status !== 'succeeded' || amount > charge.amount_captured) {
      throw invalidRequest(`The transfer amount exceeds what charge ${charge.id} can fund.`, { param: 'amount' });
    }
  }
  const id = newId('tr');
  const transfer: Transfer = {
    id,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    created: nowSeconds(),
    currency,
    description: params.string('description') ?? null,
    destination,
    livemode: false,
    metadata: params.metadata(),
    reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
    reversed: false,
    source_transaction: sourceTransaction,
    transfer_group: params.string('transfer_group') ?? null,
  };
  env.state.transfers.set(id, transfer);
  env.state.recordCreation('transfer', id, ctx.requestId);
  env.events.emit('transfer.created', transfer, ctx);
  return ok(transfer);
}

function retrieveTransfer(call: ApiCall): ApiResult {
  call.params.rejectUnknown([]);
  return ok(requireTransfer(call.env, pathParam(call, 'id')));
}

function listTransfers({ env, params }: ApiCall): ApiResult {
  params.rejectUnknown(['transfer_group', 'destination', 'limit']);
  const matching = filterByParams(env.state.transfers.values(), params, ['transfer_group', 'destination']);
  return ok(listResponse('/v1/transfers', matching, params));
}

function createReversal(call: ApiCall): ApiResult {
  const { env, params, ctx } = call;
  params.rejectUnknown(['amount', 'metadata', 'description', 'refund_application_fee']);
  const transfer = requireTransfer(env, pathParam(call, 'id'));
  const metadata = params.metadata();
  params.boolean('refund_application_fee');
  const remaining = transfer.amount - transfer.amount_reversed;
  if (remaining <= 0) {
    // As Stripe answers it: a 400 invalid_request_error without any `code` (Stripe has none for this case).
    throw invalidRequest(`The transfer ${transfer.id} is already fully reversed.`);
  }
  const amount = params.integer('amount', { min: 1 }) ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(`The reversal amount (${amount}) is greater than what remains on transfer ${transfer.id} (${remaining}).`, {
      code: 'amount_too_large',
      param: 'amount',
    });
  }
  const reversal: TransferReversal = {
    id: newId('trr'),
    object: 'transfer_reversal',
    amount,
    created: nowSeconds(),
    currency: transfer.currency,
    livemode: false,
    metadata,
    transfer: transfer.id,
  };
  const previous = { amount_reversed: transfer.amount_reversed, reversed: transfer.reversed };
  transfer.amount_reversed += amount;
  transfer.reversed = transfer.amount_reversed === transfer.amount;
  transfer.reversals.data.unshift(reversal);
  transfer.reversals.total_count += 1;
  env.state.transferReversals.set(reversal.id, reversal);
  env.state.recordCreation('transfer_reversal', reversal.id, ctx.requestId);
  env.events.emit('transfer.reversed', transfer, ctx, previous);
  return ok(reversal);
}

function listReversals(call: ApiCall): ApiResult {
  call.params.rejectUnknown(['limit']);
  const transfer = requireTransfer(call.env, pathParam(call, 'id'));
  // reversals.data is newest first; listResponse expects creation order.
  return ok(listResponse(transfer.reversals.url, [...transfer.reversals.data].reverse(), call.params));
}

export const transferRoutes: RouteDef[] = [
  { method: 'POST', path: '/v1/transfers', handler: createTransfer },
  { method: 'GET', path: '/v1/transfers', handler: listTransfers },
  { method: 'GET', path: '/v1/transfers/:id', handler: retrieveTransfer },
  { method: 'POST', path: '/v1/transfers/:id/reversals', handler: createReversal },
  { method: 'GET', path: '/v1/transfers/:id/reversals', handler: listReversals },
];
