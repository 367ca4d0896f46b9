import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from './context';
import { ApiError, apiError, invalidRequest } from './errors';
import { assertExpandable, expandResponse } from './expand';
import type { FaultAction, FaultTable } from './faults';
import { FormDecodingError, canonicalJson, decodeForm, type FormObject } from './form-decoding';
import { newId } from './ids';
import { shouldStore, type IdempotencyClaim, type IdempotencyStore, type StoredResponse } from './idempotency';
import { Params } from './params';
import { matchRoute, type RouteMatch } from './router';
import type { RequestLogEntry } from './types';

const MAX_BODY_BYTES = 1024 * 1024;

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => Promise<void>;

export interface ServerDeps {
  env: Env;
  idempotency: IdempotencyStore;
  faults: FaultTable;
  requests: RequestLogEntry[];
  acceptsApiKey: (key: string) => boolean;
  apiVersion: string;
  control: ControlHandler;
}

type Transmit = (status: number, body: string, headers?: Record<string, string>) => void;

export class EmulatorServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: ServerDeps) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the emulator must surface loudly, but still as Stripe's 500 envelope.
        console.error('[stripe-emulator] unexpected error', error);
        if (!res.headersSent) sendJson(res, 500, JSON.stringify(apiError(500, 'Emulator internal error').envelope()));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Ends held (delayed, hung) requests and every connection, including idle keep-alive ones. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Request-Id', newId('req', 14));
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const body = await readBody(req);
    if (body === undefined) {
      res.destroy();
      return;
    }
    if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
      await this.deps.control(req, res, url, body);
      return;
    }
    await this.handleApi(req, res, url, body);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const requestId = String(res.getHeader('Request-Id'));
    const idempotencyKey = headerValue(req, 'idempotency-key');
    const entry: RequestLogEntry = { method, path, idempotencyKey, replayed: false, status: 0, at: Date.now() };
    this.deps.requests.push(entry);
    res.setHeader('Stripe-Version', headerValue(req, 'stripe-version') ?? this.deps.apiVersion);
    if (idempotencyKey !== null) res.setHeader('Idempotency-Key', idempotencyKey);
    const transmit: Transmit = (status, payload, headers = {}) => {
      entry.status = status;
      sendJson(res, status, payload, headers);
    };
    const refuse = (error: ApiError): void => transmit(error.status, JSON.stringify(error.envelope(), null, 2));

    const apiKey = readApiKey(req);
    if (apiKey === null || !this.deps.acceptsApiKey(apiKey)) {
      refuse(unauthorized(apiKey));
      return;
    }
    let form: FormObject;
    try {
      form = decodeForm(method === 'POST' ? body : url.search.slice(1));
    } catch (error) {
      if (!(error instanceof FormDecodingError)) throw error;
      refuse(invalidRequest(error.message));
      return;
    }
    const route = matchRoute(method, path);
    if (!route) {
      refuse(invalidRequest(`Unrecognized request URL (${method}: ${path}). The emulator implements only part of the Stripe API.`, { status: 404 }));
      return;
    }

    const fault = this.deps.faults.take(method, path);
    if (fault?.action.kind === 'status') {
      fault.signalHit();
      transmit(fault.action.status, JSON.stringify(injectedError(fault.action), null, 2));
      return;
    }

    let claim: IdempotencyClaim | undefined;
    let replay: StoredResponse | undefined;
    if (method === 'POST' && idempotencyKey !== null) {
      const outcome = this.deps.idempotency.claim(apiKey, idempotencyKey, `${method} ${path}\n${canonicalJson(form)}`);
      if (outcome.kind === 'refused') {
        refuse(outcome.error);
        return;
      }
      if (outcome.kind === 'replay') replay = outcome.response;
      else claim = outcome.claim;
    }

    // The key is now in flight: a delay or hang here is what a concurrent duplicate collides with.
    fault?.signalHit();
    if (!(await this.hold(fault?.action))) return;

    let response: StoredResponse;
    if (replay) {
      entry.replayed = true;
      response = replay;
    } else {
      const outcome = this.execute(route, form, { requestId, idempotencyKey });
      response = { status: outcome.status, body: outcome.body, requestId };
      if (claim && shouldStore(outcome.status, outcome.errorType)) claim.store(response);
      else claim?.release();
    }

    switch (fault?.action.kind) {
      case 'applyThenFail':
        transmit(
          fault.action.status ?? 500,
          JSON.stringify(apiError(500, 'Injected fault: the request was applied but its response was lost.').envelope(), null, 2),
        );
        return;
      case 'applyThenDrop':
        entry.status = 0;
        res.socket?.destroy();
        return;
      default:
        transmit(response.status, response.body, replay ? { 'Idempotent-Replayed': 'true', 'Original-Request': replay.requestId } : {});
    }
  }

  private execute(route: RouteMatch, form: FormObject, ctx: { requestId: string; idempotencyKey: string | null }) {
    const { env } = this.deps;
    try {
      const params = new Params(form);
      const expand = params.stringArray('expand') ?? [];
      assertExpandable(expand);
      const result = route.handler({ env, params, pathParams: route.pathParams, ctx });
      const body = expandResponse(result.body, expand, (id) => env.state.find(id));
      return { status: result.status, body: JSON.stringify(body, null, 2), errorType: undefined };
    } catch (thrown) {
      // An emulator bug answers like a Stripe outage (a stored 500), never leaving the key in flight.
      if (!(thrown instanceof ApiError)) console.error('[stripe-emulator] handler failed', thrown);
      const error = thrown instanceof ApiError ? thrown : apiError(500, 'Emulator internal error');
      env.state.markCreationsIneffective(ctx.requestId);
      return { status: error.status, body: JSON.stringify(error.envelope(), null, 2), errorType: error.body.type };
    }
  }

  /** Applies delay/hang faults. False when the emulator closed meanwhile (nothing more to send). */
  private async hold(action: FaultAction | undefined): Promise<boolean> {
    const signal = this.closing.signal;
    try {
      if (action?.kind === 'delay') await sleep(action.ms, undefined, { signal });
      if (action?.kind === 'hang') await sleep(2 ** 31 - 1, undefined, { signal });
    } catch {
      return false;
    }
    return !signal.aborted;
  }
}

function injectedError(action: Extract<FaultAction, { kind: 'status' }>): unknown {
  const type = action.error?.type ?? (action.status >= 500 ? 'api_error' : 'invalid_request_error');
  const error: Record<string, string> = { type, message: action.error?.message ?? `Injected fault: HTTP ${action.status}` };
  if (action.error?.code) error.code = action.error.code;
  return { error };
}

function unauthorized(apiKey: string | null): ApiError {
  const message =
    apiKey === null
      ? "You did not provide an API key. Send it in the Authorization header as a Bearer token ('Authorization: Bearer sk_test_...')."
      : `Invalid API Key provided: ${apiKey.slice(0, 8)}${'*'.repeat(Math.max(apiKey.length - 12, 0))}${apiKey.slice(-4)}`;
  return invalidRequest(message, { status: 401 });
}

function readApiKey(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return credentials || null;
  // curl -u sk_test_...: sends the key as the Basic user name.
  if (scheme.toLowerCase() === 'basic') return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0] || null;
  return null;
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', () => resolve(undefined));
  });
}

export function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
