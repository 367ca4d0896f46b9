/**
 * `/_emulator/...`: the hosted pages (Checkout, 3DS) a browser lands on, and a
 * JSON API over the same buyer actions, webhooks and faults that tests call
 * in-process, for people running the emulator by hand.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Env } from '../context';
import { ApiError } from '../errors';
import type { FaultAction, FaultSpec } from '../faults';
import { sendJson } from '../server';
import type { StripeEmulator } from '../types';
import { authenticationPage, checkoutPage, messagePage } from './pages';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

interface ControlRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  json: Record<string, unknown>;
}

type Reply = { kind: 'json'; status?: number; body: unknown } | { kind: 'html'; body: string } | { kind: 'redirect'; location: string };

export function createControlHandler(emulator: StripeEmulator, env: Env) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> => {
    let reply: Reply;
    try {
      const request: ControlRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        segments: url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent),
        query: url.searchParams,
        json: parseJson(body),
      };
      reply = await route(request, emulator, env);
    } catch (error) {
      if (!(error instanceof ControlError || error instanceof ApiError)) throw error;
      reply = { kind: 'json', status: error instanceof ControlError ? error.status : 400, body: { error: error.message } };
    }
    if (reply.kind === 'json') sendJson(res, reply.status ?? 200, JSON.stringify(reply.body, null, 2));
    else if (reply.kind === 'redirect') res.writeHead(303, { Location: reply.location }).end();
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(reply.body);
  };
}

async function route(request: ControlRequest, emulator: StripeEmulator, env: Env): Promise<Reply> {
  const { method, segments, query, json } = request;
  const [area = '', id = '', action = ''] = segments;
  const is = (verb: string, expectedArea: string, expectedAction = ''): boolean => method === verb && area === expectedArea && action === expectedAction;

  if (is('GET', '')) return { kind: 'json', body: summary(emulator) };
  if (area === 'checkout' && id) return checkoutRoute(method, id, action, query, json, emulator, env);
  if (area === 'authenticate' && id) return authenticationRoute(method, id, action, query, emulator, env);
  if (is('POST', 'payment_intents', 'authenticate')) {
    await emulator.completeAuthentication(id, json.succeed === true);
    return { kind: 'json', body: env.state.paymentIntents.get(id) };
  }
  if (method === 'POST' && area === 'refunds' && id === 'hold-next') {
    emulator.holdNextRefund();
    return { kind: 'json', body: { held: true } };
  }
  if (is('POST', 'refunds', 'settle')) {
    await emulator.settleRefund(id, json.outcome === 'failed' ? 'failed' : 'succeeded');
    return { kind: 'json', body: env.state.refunds.get(id) };
  }
  if (is('POST', 'customers', 'next-off-session-charge')) {
    const failure = json.failure;
    if (failure !== 'card_declined' && failure !== 'authentication_required') {
      throw new ControlError(400, 'Say how the charge fails: {"failure":"card_declined"} or {"failure":"authentication_required"}');
    }
    if (!env.state.customers.has(id)) throw new ControlError(404, `No such customer: '${id}'`);
    emulator.failNextOffSessionCharge(id, failure);
    return { kind: 'json', body: { customer: id, nextOffSessionCharge: failure } };
  }
  if (is('GET', 'events')) return { kind: 'json', body: emulator.events };
  if (is('POST', 'events', 'deliver')) return { kind: 'json', body: { status: await emulator.deliverEvent(id) } };
  if (is('GET', 'requests')) return { kind: 'json', body: emulator.requests };
  if (method === 'POST' && area === 'webhooks') {
    if (json.url !== undefined) emulator.setWebhookUrl(typeof json.url === 'string' ? json.url : undefined);
    if (json.mode === 'auto' || json.mode === 'manual') emulator.setWebhookDelivery(json.mode);
    return { kind: 'json', body: { ok: true } };
  }
  if (area === 'faults') return faultRoute(method, json, emulator);
  if (is('POST', 'reset')) {
    emulator.reset();
    return { kind: 'json', body: { reset: true } };
  }
  throw new ControlError(404, `No emulator control route for ${method} /_emulator/${segments.join('/')}`);
}

async function checkoutRoute(
  method: string,
  id: string,
  action: string,
  query: URLSearchParams,
  json: Record<string, unknown>,
  emulator: StripeEmulator,
  env: Env,
): Promise<Reply> {
  const session = env.state.checkoutSessions.get(id);
  if (!session) throw new ControlError(404, `No such checkout.session: '${id}'`);
  if (method === 'GET' && action === '') return { kind: 'html', body: checkoutPage(session, env.state.checkoutDetails.get(id)?.lineItems ?? []) };
  if (method === 'GET' && action === 'pay') {
    await emulator.completeCheckoutSession(id, { paymentMethod: query.get('payment_method') ?? undefined });
    if (session.status !== 'complete') return { kind: 'html', body: messagePage('Payment declined', 'The card was declined. Go back to try again.') };
    if (!session.success_url) return { kind: 'html', body: messagePage('Payment complete', 'Thank you.') };
    return { kind: 'redirect', location: session.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, id) };
  }
  // Like Checkout's back link: the buyer leaves, the session stays open until it expires.
  if (method === 'GET' && action === 'cancel') {
    return session.cancel_url ? { kind: 'redirect', location: session.cancel_url } : { kind: 'html', body: messagePage('Cancelled', 'No payment was made.') };
  }
  if (method === 'POST' && action === 'complete') {
    await emulator.completeCheckoutSession(id, { paymentMethod: typeof json.paymentMethod === 'string' ? json.paymentMethod : undefined });
    return { kind: 'json', body: session };
  }
  if (method === 'POST' && action === 'expire') {
    await emulator.expireCheckoutSession(id);
    return { kind: 'json', body: session };
  }
  throw new ControlError(404, `No checkout action ${method} ${action}`);
}

async function authenticationRoute(method: string, id: string, action: string, query: URLSearchParams, emulator: StripeEmulator, env: Env): Promise<Reply> {
  const intent = env.state.paymentIntents.get(id);
  if (!intent) throw new ControlError(404, `No such payment_intent: '${id}'`);
  if (method === 'GET' && action === '') return { kind: 'html', body: authenticationPage(intent) };
  if (method === 'GET' && action === 'complete') {
    await emulator.completeAuthentication(id, query.get('succeed') === 'true');
    const returnUrl = env.state.paymentIntentReturnUrls.get(id);
    if (!returnUrl) return { kind: 'html', body: messagePage('Authentication finished', `PaymentIntent is now ${intent.status}.`) };
    const target = new URL(returnUrl);
    target.searchParams.set('payment_intent', intent.id);
    target.searchParams.set('payment_intent_client_secret', intent.client_secret);
    target.searchParams.set('redirect_status', intent.status === 'succeeded' ? 'succeeded' : 'failed');
    return { kind: 'redirect', location: target.toString() };
  }
  throw new ControlError(404, `No authentication action ${method} ${action}`);
}

function faultRoute(method: string, json: Record<string, unknown>, emulator: StripeEmulator): Reply {
  if (method === 'GET') return { kind: 'json', body: emulator.faults.pending.map((fault) => ({ ...fault, path: fault.path?.toString() })) };
  if (method === 'DELETE') {
    emulator.faults.clear();
    return { kind: 'json', body: { cleared: true } };
  }
  if (method !== 'POST') throw new ControlError(405, 'Use GET, POST or DELETE on /_emulator/faults');
  const spec: FaultSpec = { action: json.action as FaultAction };
  if (typeof json.action !== 'object' || json.action === null)
    throw new ControlError(400, 'A fault needs an action, e.g. {"action":{"kind":"status","status":500}}');
  if (typeof json.method === 'string') spec.method = json.method;
  if (typeof json.path === 'string') spec.path = json.path;
  if (typeof json.pathPattern === 'string') spec.path = new RegExp(json.pathPattern);
  if (typeof json.times === 'number') spec.times = json.times;
  try {
    emulator.faults.add(spec);
  } catch (error) {
    throw new ControlError(400, error instanceof Error ? error.message : String(error));
  }
  return { kind: 'json', status: 201, body: { added: true, pending: emulator.faults.pending.length } };
}

function summary(emulator: StripeEmulator): unknown {
  return {
    url: emulator.url,
    requests: emulator.requests.length,
    events: emulator.events.length,
    pendingFaults: emulator.faults.pending.length,
    docs: 'See tools/stripe-emulator/README.md for the control routes.',
  };
}

function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new ControlError(400, 'Control requests take a JSON object body');
}
