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
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
]);

/** Apollo's codes for a document that does not parse or validate, names no operation it holds, or whose variables do not fit their types. */
const MALFORMED_REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_USER_INPUT']);

/** graphql-js's words when a parse limit (MAX_QUERY_TOKENS, request-limits.ts) stops it; 16.x writes "more that" for tokens. */
const PARSE_LIMIT = /^Syntax Error: Document contains more (?:than|that) (\d+) (tokens|comments)\. Parsing aborted\.$/;

/**
 * The parser is recursive: within the token limit a document can still nest
 * lists or selections a couple of thousand levels deep, past the call stack.
 * Apollo answers that as the parse failure it is; the message says why.
 */
const NESTED_TOO_DEEP = 'Maximum call stack size exceeded';

/** A document the parser stopped on (its token or comment limit, or nesting past the call stack), said plainly. */
function parseLimitOf(message: string): { message: string; extensions: Record<string, unknown> } | null {
  if (message === NESTED_TOO_DEEP) {
    return { message: 'The document nests too deeply to be read.', extensions: { errorCode: ErrorCode.VALIDATION_FAILED, limit: 'nesting' } };
  }
  const match = PARSE_LIMIT.exec(message);
  if (!match) return null;
  const maximum = Number(match[1]);
  const what = match[2];
  return {
    message: `The document holds more than ${maximum} ${what}; at most ${maximum} are read. Send a smaller document.`,
    extensions: { errorCode: ErrorCode.VALIDATION_FAILED, limit: what, maximum },
  };
}

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
    const parseLimit = code === 'GRAPHQL_PARSE_FAILED' ? parseLimitOf(formatted.message) : null;
    if (parseLimit) return { message: parseLimit.message, locations: formatted.locations, extensions: { ...extensions, ...parseLimit.extensions } };
    // A document or its variables that could not be read as the schema asks: the client's mistake, in the one public enum too.
    if (MALFORMED_REQUEST_CODES.has(code) && extensions.errorCode === undefined) extensions.errorCode = ErrorCode.VALIDATION_FAILED;
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
