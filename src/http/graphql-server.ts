import { ApolloServer, type ApolloServerPlugin, type PersistedQueryOptions } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import { GraphQLContext } from '../schema/context';
import { formatError } from './format-error';
import { metrics } from './metrics';

export interface GraphQLServerOptions {
  schema: GraphQLSchema;
  /** Extra validation rules (depth, aliases, cost), added by the request-limits module. */
  validationRules?: ValidationRule[];
  plugins?: ApolloServerPlugin<GraphQLContext>[];
  /** false = APQ off; {} = Apollo's default APQ cache (see persisted-queries.ts). */
  persistedQueries?: false | PersistedQueryOptions;
}

const countOperations: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ operationName, errors }) {
        metrics.increment('graphql_operations_total', { operation: operationName ?? 'anonymous', outcome: errors?.length ? 'error' : 'ok' });
      },
    };
  },
};

export async function startGraphQLServer(options: GraphQLServerOptions): Promise<ApolloServer<GraphQLContext>> {
  const server = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    formatError,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    validationRules: options.validationRules ?? [],
    persistedQueries: options.persistedQueries,
    // main.ts drains HTTP, workers and the database on SIGTERM; Apollo's own
    // handler would re-raise the signal mid-drain and the process would die of it.
    stopOnTerminationSignals: false,
    // The self-hosted playground lives at /playground; Apollo's landing page loads from a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled(), countOperations, ...(options.plugins ?? [])],
  });
  await server.start();
  return server;
}
