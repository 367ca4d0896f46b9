import { GraphQLError } from 'graphql';
import { ErrorCode } from '../services/shared/error-code';
import type { Failure, Outcome } from '../services/shared/outcome';

/**
 * Admin mutations that return a plain type (not a union) report bad input as a
 * top-level GraphQL error, shaped like class-validator's: extensions.code
 * BAD_USER_INPUT (a public code, so format-error passes it through unmasked) plus
 * the business errorCode and the field it is about.
 */
export function badInput(message: string, field?: string, errorCode: ErrorCode = ErrorCode.VALIDATION_FAILED): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', errorCode, ...(field ? { field, fields: [{ field, problems: [message] }] } : {}) },
  });
}

/** A service failure, raised as a top-level bad-input error. */
export const failureAsBadInput = (failure: Failure): GraphQLError =>
  badInput(failure.message, failure.kind === 'user' ? failure.field : undefined, failure.code);

/** For mutations that return plain types: the value, or the business failure as a top-level bad-input error. */
export function valueOrBadInput<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw failureAsBadInput(outcome.failure);
  return outcome.value;
}
