import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode } from '../services/shared/error-code';
import { currentRequestId } from '../observability/log-context';
import { logger } from '../services/shared/logger';
import { QueryTooComplexError } from './request-limits';

/** Codes a client may see as they are; every other error is an internal fault and masked. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_ALLOWED', 'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED',
]);

/** Nested inputs (an address, a list of variants) name their own fields, e.g. "address.line1". */
function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((v) => {
    const field = prefix + v.property;
    const own = v.constraints ? [{ field, problems: Object.values(v.constraints) }] : [];
    return [...own, ...flattenValidationErrors(v.children ?? [], `${field}.`)];
  });
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const fields = flattenValidationErrors(original.extensions.validationErrors);
    return {
      message: 'The input is not valid: ' + fields.map((f) => `${f.field} (${f.problems.join('; ')})`).join(', '),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', errorCode: ErrorCode.VALIDATION_FAILED, fields },
    };
  }
  // Apollo files every validation-rule error under GRAPHQL_VALIDATION_FAILED; a refused limit keeps its own code.
  if (original instanceof GraphQLError && original.originalError instanceof QueryTooComplexError) {
    return { message: formatted.message, locations: formatted.locations, extensions: { ...original.originalError.extensions } };
  }
  // Apollo refuses a few malformed requests (a persisted-query hash that does not match its query, an
  // unknown APQ version) with a 4xx status but no code: the client's mistake, not an internal fault.
  if (original instanceof GraphQLError && original.extensions.code === undefined && isClientErrorStatus(original.extensions.http)) {
    return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    // Stack traces stay in the logs.
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error('graphql.internal_error', { path: formatted.path, error: original });
  // The id of this request's log lines: what a client quotes to support, which finds the full error by it.
  const requestId = currentRequestId();
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
  };
}

function isClientErrorStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
