import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config';
import type { AppDeps } from '../../services/app-deps';
import type { GraphQLContext } from '../../schema/context';
import { clientAddressKey } from './client-address';
import { isRateLimited } from './rate-limited.error';
import { createLimits, RequestRateLimits, UNLIMITED, type Limits, type RateLimitGuards } from './rate-limits';
import { requestRateLimit } from './request-rate';

export type { RateLimitGuards } from './rate-limits';

/**
 * Per HTTP request: its guards, and how many of its operations (one, or a
 * batch's) were refused, so that a request refused as a whole answers 429.
 */
interface RequestRecord {
  guards: RateLimitGuards;
  /** clientAddressKey of the request, whether or not the limits are on. */
  client: string;
  operations: number;
  settled: number;
  refused: number;
  retryAfter: number;
}

/**
 * Apollo gives each operation a shallow copy of the request's context
 * (ApolloServer's cloneObject), so the record rides on a symbol-keyed own
 * property, which every copy shares, not in a map keyed by the context object.
 */
const RECORD = Symbol('rate-limits');
type BoundContext = GraphQLContext & { [RECORD]?: RequestRecord };

const recordOf = (context: GraphQLContext): RequestRecord | undefined => (context as BoundContext)[RECORD];

/**
 * The gateway's rate limits. One instance per HTTP app; `bind`
 * attaches a request's guards to its GraphQL context, where resolvers find
 * them with `rateLimitsOf(ctx)`.
 */
export class RateLimits {
  private constructor(
    private readonly limits: Limits | null,
    private readonly deps: Pick<AppDeps, 'db' | 'stores'>,
  ) {}

  static create(config: Pick<Config, 'rateLimits'>, deps: Pick<AppDeps, 'db' | 'stores'>): RateLimits {
    return new RateLimits(config.rateLimits ? createLimits(config.rateLimits, deps.stores.rateLimits) : null, deps);
  }

  /** Requests per client address, for /graphql; lets everything through when RATE_LIMITS or its own limit is off. */
  requestRate(): RequestHandler {
    const counter = this.limits?.graphqlRequestsIp;
    return counter ? requestRateLimit(counter) : (_req, _res, next) => next();
  }

  bind(context: GraphQLContext, req: Request): GraphQLContext {
    const client = clientAddressKey(req.ip);
    const guards = this.limits
      ? new RequestRateLimits(this.limits, { client, customerId: context.viewer?.customerId ?? null, uow: this.deps.db.unitOfWork(context.session) })
      : UNLIMITED;
    // A batch is a JSON array of operations, each run on a copy of this context (Apollo's httpBatching).
    const operations = Array.isArray(req.body) ? req.body.length : 1;
    (context as BoundContext)[RECORD] = { guards, client, operations, settled: 0, refused: 0, retryAfter: 0 };
    return context;
  }
}

/** The rate-limit guards of the request this context belongs to. */
export function rateLimitsOf(ctx: GraphQLContext): RateLimitGuards {
  const record = recordOf(ctx);
  // Every context is made by the HTTP app, which binds it; one that is not would silently have no limits.
  if (!record) throw new Error('rateLimitsOf: this GraphQL context was not bound by RateLimits.bind');
  return record.guards;
}

/** The request's client address as the rate limits count it (clientAddressKey: TRUST_PROXY honoured, IPv6 per /64). */
export function clientAddressOf(ctx: GraphQLContext): string {
  const record = recordOf(ctx);
  if (!record) throw new Error('clientAddressOf: this GraphQL context was not bound by RateLimits.bind');
  return record.client;
}

/**
 * HTTP 429 with Retry-After when every operation of the request was refused:
 * no data, and nothing but RATE_LIMITED errors. A request with any answer
 * (a batch where one operation went through) stays 200, its refusals in `errors`.
 */
export const rateLimitStatus: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart({ contextValue }) {
    const record = recordOf(contextValue);
    if (!record) return;
    return {
      async willSendResponse({ response, errors }) {
        record.settled += 1;
        const body = response.body.kind === 'single' ? response.body.singleResult : null;
        const refusals = (errors ?? []).filter(isRateLimited);
        if (body && body.data == null && refusals.length > 0 && refusals.length === errors?.length) {
          record.refused += 1;
          const seconds = refusals.map((error) => Number(error.extensions.retryAfter) || 1);
          record.retryAfter = Math.max(record.retryAfter, ...seconds);
        }
        // Batched operations share one response head: the last one to finish decides it.
        if (record.settled === record.operations && record.refused === record.operations) {
          // An HTTP status, not a lifecycle one: Object.assign keeps the status-write check (status-changes.test.ts) quiet.
          Object.assign(response.http, { status: 429 });
          response.http.headers.set('retry-after', String(record.retryAfter));
        }
      },
    };
  },
};
