import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { httpRequestDuration } from '../observability/metrics';
import { runWithLogContext, type LogContext } from '../observability/log-context';
import { rootLogger } from '../services/shared/logger';
import { REDACTED, redactText } from '../services/shared/redaction';

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
  return (
    MOUNTED_PREFIXES.find((prefix) => req.originalUrl === prefix || req.originalUrl.startsWith(`${prefix}?`) || req.originalUrl.startsWith(`${prefix}/`)) ??
    'other'
  );
}

/**
 * A path segment that is an access key: a payment link's token
 * (payment-links.router.ts, GET /pay/<token>), in any case, as express matches it.
 */
const ACCESS_KEY_SEGMENT = /(\/pay\/)[^/]+/gi;

/** Path only: query strings may carry tokens; access keys in the path and secret shapes are masked. */
const pathOf = (url: string | undefined): string => redactText((url ?? '').split('?')[0].replace(ACCESS_KEY_SEGMENT, `$1${REDACTED}`));

/**
 * Watches each request to its end, once: the request id echoed in the
 * X-Request-Id response header; when the answer is sent (or the client goes
 * away) the latency histogram observed, and one JSON line written (level
 * error for a 5xx, else info): the request id, method, path, status,
 * duration, and every id the request's log context collected while it ran.
 * Headers and bodies are never logged. No child logger is made per request
 * (as pino-http makes one): the line is built only when the level keeps it,
 * so a dropped line costs one level check.
 */
export const observeRequest: RequestHandler = (req, res, next) => {
  const request = req as WithContext;
  request[CONTEXT] ??= { requestId: requestIdOf(req.headers[REQUEST_ID_HEADER]) };
  res.setHeader(REQUEST_ID_HEADER, request[CONTEXT].requestId as string);
  const startedAt = Date.now();
  const stopTimer = httpRequestDuration.startTimer();
  const ended = () => {
    res.off('finish', ended);
    res.off('close', ended);
    stopTimer({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
    const level = res.statusCode >= 500 ? 'error' : 'info';
    if (rootLogger.isLevelEnabled(level)) rootLogger[level](lineOf(req, res, Date.now() - startedAt));
  };
  res.on('finish', ended);
  res.on('close', ended);
  next();
};

/** Every request: its log context entered first, then watched to its end. */
export function requestLogging(): RequestHandler[] {
  return [enterLogContext, observeRequest];
}

const lineOf = (req: IncomingMessage, res: ServerResponse, durationMs: number) => ({
  ...(req as WithContext)[CONTEXT],
  event: 'http.request',
  method: req.method,
  path: pathOf((req as Request).originalUrl ?? req.url),
  status: res.statusCode,
  durationMs,
});
