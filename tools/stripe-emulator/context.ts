import type { EventLog, ExecutionContext } from './events/event-log';
import type { Params } from './params';
import type { EmulatorState } from './state';

/** What every resource handler works with. */
export interface Env {
  state: EmulatorState;
  events: EventLog;
  /** The emulator's own base URL, known once it listens (hosted pages link to it). */
  baseUrl: string;
}

export interface ApiCall {
  env: Env;
  params: Params;
  pathParams: Readonly<Record<string, string>>;
  ctx: ExecutionContext;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

/** Handlers run synchronously: one request's state change is atomic with respect to the others. */
export type Handler = (call: ApiCall) => ApiResult;

export interface RouteDef {
  method: 'GET' | 'POST';
  /** Express-like pattern, e.g. `/v1/payment_intents/:id/confirm`. */
  path: string;
  handler: Handler;
}

export function ok(body: unknown): ApiResult {
  return { status: 200, body };
}

export function pathParam(call: ApiCall, name: string): string {
  const value = call.pathParams[name];
  if (value === undefined) throw new Error(`Route is missing path parameter ${name}`);
  return value;
}
