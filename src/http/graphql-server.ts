import { ApolloServer, type ApolloServerPlugin, type PersistedQueryOptions } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import { GraphQLContext } from '../schema/context';
import { controlCharacterGuard } from '../schema/control-characters';
import { formatError } from './format-error';
import { graphqlOperationDuration, partnerOperations } from '../observability/metrics';
import { operationLabel } from './metrics';
import { recordRootResultTypes, rootResultType } from './root-result-types';
import { rateLimitStatus } from './rate-limits';
import { publicCachePlugins } from './public-cache';

export interface GraphQLServerOptions {
  schema: GraphQLSchema;
  /** Extra validation rules (depth, aliases, cost), added by the request-limits module. */
  validationRules?: ValidationRule[];
  /** How Apollo parses each document: the token limit (request-limits.ts documentParseOptions). */
  parseOptions?: ParseOptions;
  plugins?: ApolloServerPlugin<GraphQLContext>[];
  /** false = APQ off; {} = Apollo's default APQ cache (see persisted-queries.ts). */
  persistedQueries?: false | PersistedQueryOptions;
  /** CATALOG_MAX_AGE: how long an anonymous catalog GET may be kept publicly (public-cache.ts); 0 = never. */
  catalogMaxAgeSeconds: number;
}

/** Every operation of a batched request on its own database session (GraphQLContext.isolateForOperation). */
const sessionPerBatchedOperation: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart({ contextValue }) {
    if (contextValue.inBatch) contextValue.isolateForOperation();
  },
};

/**
 * Per response: the operation's latency, labelled by operation (known names
 * only, see metrics.ts) and result — the top-level error code when there is
 * one, else the first root field's type. Cache-Control is public-cache.ts's.
 */
const responseBookkeeping: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    const stopTimer = graphqlOperationDuration.startTimer();
    return {
      async willSendResponse({ operationName, operation, response, contextValue }) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        const code = errors?.[0]?.extensions?.code;
        const result = typeof code === 'string' ? code : await rootResultType(contextValue, operation);
        const label = operationLabel(operationName);
        stopTimer({ operation: label, result });
        if (contextValue.partner) partnerOperations.inc({ partner: contextValue.partner.name, operation: label, result });
      },
    };
  },
};

export async function startGraphQLServer(options: GraphQLServerOptions): Promise<ApolloServer<GraphQLContext>> {
  recordRootResultTypes(options.schema);
  const server = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    formatError,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    validationRules: options.validationRules ?? [],
    parseOptions: options.parseOptions,
    persistedQueries: options.persistedQueries,
    // main.ts drains HTTP, workers and the database on SIGTERM; Apollo's own
    // handler would re-raise the signal mid-drain and the process would die of it.
    stopOnTerminationSignals: false,
    // The self-hosted playground lives at /playground; Apollo's landing page loads from a CDN.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...publicCachePlugins(options.catalogMaxAgeSeconds, options.schema),
      sessionPerBatchedOperation,
      responseBookkeeping,
      controlCharacterGuard,
      rateLimitStatus,
      ...(options.plugins ?? []),
    ],
  });
  await server.start();
  return server;
}
