import { ok, pathParam, type ApiCall, type ApiResult, type Env, type RouteDef } from '../context';
import { invalidRequest, resourceMissing } from '../errors';
import { newId, nowSeconds } from '../ids';
import type { Customer } from '../objects';
import type { Params } from '../params';

const CREATE_PARAMS = ['email', 'name', 'description', 'metadata'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function requireCustomer(env: Env, id: string, param = 'id'): Customer {
  const customer = env.state.customers.get(id);
  if (!customer) throw resourceMissing('customer', id, param);
  return customer;
}

/** Stripe checks an email's shape, nothing more. */
export function readEmail(params: Params, name: string, maxLength = 512): string | null {
  const email = params.string(name, { maxLength }) ?? null;
  if (email !== null && !EMAIL.test(email)) throw invalidRequest(`Invalid email address: ${email}`, { code: 'email_invalid', param: params.nameOf(name) });
  return email;
}

function createCustomer({ env, params, ctx }: ApiCall): ApiResult {
  params.rejectUnknown(CREATE_PARAMS);
  const customer: Customer = {
    id: newId('cus', 14),
    object: 'customer',
    created: nowSeconds(),
    description: params.string('description', { maxLength: 350 }) ?? null,
    email: readEmail(params, 'email'),
    livemode: false,
    metadata: params.metadata(),
    name: params.string('name', { maxLength: 256 }) ?? null,
  };
  env.state.customers.set(customer.id, customer);
  env.state.recordCreation('customer', customer.id, ctx.requestId);
  env.events.emit('customer.created', customer, ctx);
  return ok(customer);
}

function retrieveCustomer(call: ApiCall): ApiResult {
  call.params.rejectUnknown([]);
  return ok(requireCustomer(call.env, pathParam(call, 'id')));
}

export const customerRoutes: RouteDef[] = [
  { method: 'POST', path: '/v1/customers', handler: createCustomer },
  { method: 'GET', path: '/v1/customers/:id', handler: retrieveCustomer },
];
