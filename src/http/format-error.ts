import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode } from '../services/shared/error-code';
import { logger } from '../services/shared/logger';

/** Codes a client may see as they are; every other error is an internal fault and masked. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_ALLOWED', 'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED',
]);

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const fields = original.extensions.validationErrors.map((v) => ({
      field: v.property,
      problems: Object.values(v.constraints ?? {}),
    }));
    return {
      message: 'The input is not valid: ' + fields.map((f) => `${f.field} (${f.problems.join('; ')})`).join(', '),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', errorCode: ErrorCode.VALIDATION_FAILED, fields },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    // Stack traces stay in the logs.
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error('graphql.internal_error', { path: formatted.path, error: original });
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
