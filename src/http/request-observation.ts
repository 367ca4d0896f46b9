import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { httpRequestDuration } from '../observability/metrics';
import { runWithLogContext, type LogContext } from '../observability/log-context';
import { rootLogger } from '../services/shared/logger';
import { redactText } from '../services/shared/redaction';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it is a plain token (a UUID, a trace id); anything else could forge or break log lines. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
}

const CONTEXT = Symbol('tillgate.logContext');
type WithContext = IncomingMessage & { [CONTEXT]?: LogContext };

/**
 * Runs the rest of the request inside its log context. Used twice: first
 * thing, and again after a body parser, whose stream events run outside the
 * context the request entered.
 */
export const enterLogContext: RequestHandler = (req, _res, next) => {
  const request = req as WithContext;
  request[CONTEXT] ??= { requestId: requestIdOf(req.headers[REQUEST_ID_HEADER]) };
  runWithLogContext(request[CONTEXT], next);
};

/**
 * The route pattern a request matched: the label must come from the server's
 * own routes, never from the path a client sent (that would be one series per
 * URL). Everything unmatched is `other`.
 */
const MOUNTED_PREFIXES = ['/graphql'];
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return MOUNTED_PREFIXES.find((prefix) => req.originalUrl === prefix || req.originalUrl.startsWith(`${prefix}?`) || req.originalUrl.startsWith(`${prefix}/`)) ?? 'other';
}

/** The latency histogram, observed when the answer is sent (or the client goes away). */
export const observeHttpRequest: RequestHandler = (req, res, next) => {
  const stopTimer = httpRequestDuration.startTimer();
  let observed = false;
  const observe = () => {
    if (observed) return;
    observed = true;
    stopTimer({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
  };
  res.once('finish', observe);
  res.once('close', observe);
  next();
};

/** Path only: query strings may carry tokens, and secret shapes are masked anyway. */
const pathOf = (url: string | undefined): string => redactText((url ?? '').split('?')[0]);

/**
 * One JSON line per request (pino-http): the request id (also echoed in the
 * X-Request-Id response header), method, path, status, duration, and every
 * id the request's log context collected while it ran. Headers and bodies are
 * never logged.
 */
export function requestLogging(): RequestHandler[] {
  const logRequest = pinoHttp({
    logger: rootLogger,
    genReqId: (req, res) => {
      const id = ((req as WithContext)[CONTEXT]?.requestId as string | undefined) ?? requestIdOf(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // The line is written by the root logger itself, no child bindings: its fields are lineOf's alone, so none repeats.
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req: IncomingMessage, res: ServerResponse, fields: { responseTime: number }) => lineOf(req, res, fields.responseTime),
    customErrorObject: (req: IncomingMessage, res: ServerResponse, _error: Error, fields: { responseTime: number }) => lineOf(req, res, fields.responseTime),
    customSuccessMessage: () => undefined as unknown as string,
    customErrorMessage: () => undefined as unknown as string,
  });
  return [enterLogContext, logRequest as unknown as RequestHandler];
}

const lineOf = (req: IncomingMessage, res: ServerResponse, durationMs: number) => ({
  ...(req as WithContext)[CONTEXT],
  event: 'http.request',
  method: req.method,
  path: pathOf((req as Request).originalUrl ?? req.url),
  status: res.statusCode,
  durationMs,
});
