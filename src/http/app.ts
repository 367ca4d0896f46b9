import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express, { type Express, type Request, type RequestHandler, type Response, type Router } from 'express';
import { GraphQLContext, viewerFor } from '../schema/context';
import type { AppDeps } from '../services/app-deps';
import { logger } from '../services/shared/logger';
import { metricsEndpoint, type MetricsSource } from './metrics';
import { enterLogContext, requestLogging } from './request-observation';
import { playgroundRouter } from './playground';
import type { RateLimits } from './rate-limits';
import { corsForOrigins } from './cors';
import { partnerAuthentication, requestPartner } from './partner-keys';
import { publicAnswerValidators } from './public-cache';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  deps: AppDeps;
  graphql: ApolloServer<GraphQLContext>;
  /** The rate limits' counters, shared with the routers that count too (/ops sign-in). */
  rateLimits: RateLimits;
  /** Routers mounted before /graphql (webhooks need the raw body, payment links serve pages). */
  routers?: Router[];
  /** Limits on the whole HTTP request (batch size, the request-wide cost budget: request-budget.ts), run before Apollo. */
  requestLimits: RequestHandler[];
  /** Where /metrics reads from (the whole cluster in a gateway process of GATEWAY_PROCESSES > 1). */
  metricsSource?: MetricsSource;
  /** True once shutdown began: /readyz answers 503 so load balancers stop sending traffic while the drain runs. */
  isDraining?: () => boolean;
}

async function contextFor(deps: AppDeps, req: Request, res: Response): Promise<GraphQLContext> {
  const session = deps.db.session();
  const viewer = await viewerFor(deps, session, req.headers.authorization);
  const context = new GraphQLContext(deps, session, viewer, requestPartner(res));
  context.inBatch = Array.isArray(req.body);
  return context;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const { deps } = options;
  const app = express();
  app.disable('x-powered-by');
  // Only a public catalog answer gets an ETag (public-cache.ts); hashing every other body would be wasted work.
  app.set('etag', false);
  // req.ip, which the rate limits count by, believes X-Forwarded-For only from the proxies TRUST_PROXY names.
  app.set('trust proxy', deps.config.trustProxy);
  const { rateLimits } = options;
  app.use(...requestLogging());

  // /graphql first: nearly every request is one, and each layer before it is a path test it would pay for.
  app.use(
    '/graphql',
    // First, so that a preflight is answered here and a refusal below still reaches the allowed page.
    corsForOrigins(deps.config.allowedOrigins),
    // Before the body is read: a refused address costs no parsing at all. After CORS, so a browser can read the 429.
    rateLimits.requestRate(),
    express.json({ limit: MAX_BODY_BYTES }),
    // The body parser's stream events run outside the request's log context: enter it again.
    enterLogContext,
    // Inside the log context, so that the partner's name goes on the request's every line.
    partnerAuthentication(deps),
    ...options.requestLimits,
    publicAnswerValidators(),
    expressMiddleware(options.graphql, { context: async ({ req, res }) => rateLimits.bind(await contextFor(deps, req, res), req) }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (options.isDraining?.()) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await deps.db.ping();
      res.json({ status: 'ready', database: deps.config.database.dialect });
    } catch (error) {
      logger.error('readyz.database_unreachable', { error });
      res.status(503).json({ status: 'unavailable' });
    }
  });
  // With METRICS_PORT set, its own listener alone serves the counters (startMetricsServer).
  if (deps.config.metricsPort === null) app.get('/metrics', metricsEndpoint(deps.config.metricsToken, options.metricsSource));
  app.use(playgroundRouter());
  for (const router of options.routers ?? []) app.use(router);

  // Body-parser and other pre-GraphQL errors: a clean JSON answer, never a stack.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error('http.unhandled_error', { error });
    const message =
      error.type === 'entity.too.large'
        ? 'Request body is larger than 1 MB.'
        : error.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON.'
          : status === 500
            ? 'Internal server error'
            : 'Bad request.';
    res
      .status(status)
      .json({ errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });
  return app;
}
