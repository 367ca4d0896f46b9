import type { RequestHandler, Response } from 'express';
import { rateLimited } from '../../observability/metrics';
import { logger } from '../../services/shared/logger';
import { clientAddressKey } from './client-address';
import type { Counter } from './counters';
import { RateLimitedError } from './rate-limited.error';

/** Refused addresses remembered at once; the oldest go first, so a flood from many addresses cannot grow the map. */
const REMEMBERED_REFUSALS = 10_000;

/**
 * Requests to /graphql per client address (RATE_LIMIT_GRAPHQL_IP), counted
 * before the body is read or any document parsed: the limits inside a
 * request (tokens, depth, cost) bound what one request costs, this bounds how
 * many one address sends. Refused with HTTP 429, Retry-After and a top-level
 * RATE_LIMITED error, as the other limits are.
 *
 * The count lives where every limit's does (counters.ts: PostgreSQL, shared by
 * every gateway process, or memory on the embedded file). An address once
 * refused is answered from this process's memory until its window ends, so a
 * flood costs no round trip to the store per request.
 */
export function requestRateLimit(counter: Counter): RequestHandler {
  const refusedUntil = new Map<string, number>();

  const remember = (client: string, until: number) => {
    refusedUntil.delete(client);
    refusedUntil.set(client, until);
    if (refusedUntil.size > REMEMBERED_REFUSALS) refusedUntil.delete(refusedUntil.keys().next().value!);
  };

  return (req, res, next) => {
    const client = clientAddressKey(req.ip);
    const until = refusedUntil.get(client);
    if (until !== undefined && until > Date.now()) {
      refuse(res, counter, until - Date.now());
      return;
    }
    if (until !== undefined) refusedUntil.delete(client);
    counter.take(`ip:${client}`).then(
      (take) => {
        if (take.allowed) {
          next();
          return;
        }
        remember(client, Date.now() + take.retryAfterMs);
        logger.info('rate_limit.refused', { limit: counter.name, client });
        refuse(res, counter, take.retryAfterMs);
      },
      (error: unknown) => {
        // The count's store failing must not refuse every request with it: this one goes on, the fault is logged.
        logger.error('rate_limit.store_failed', { action: 'count_request', limit: counter.name, error });
        next();
      },
    );
  };
}

function refuse(res: Response, counter: Counter, retryAfterMs: number): void {
  rateLimited.inc({ limit: counter.name });
  const refusal = new RateLimitedError(retryAfterMs);
  res
    .status(429)
    .set('retry-after', String(refusal.retryAfterSeconds))
    .json({ errors: [{ message: refusal.message, extensions: refusal.extensions }] });
}
