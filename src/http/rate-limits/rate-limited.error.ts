import { GraphQLError } from 'graphql';

/**
 * A refused attempt: a top-level GraphQL error (code RATE_LIMITED, listed in
 * format-error's public codes) with `retryAfter` in whole seconds. The message
 * names no limit and no key, so a refusal tells an attacker nothing more than
 * when to come back.
 */
export class RateLimitedError extends GraphQLError {
  static readonly code = 'RATE_LIMITED';

  readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(`Too many attempts. Try again in ${seconds} seconds.`, { extensions: { code: RateLimitedError.code, retryAfter: seconds } });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = seconds;
  }
}

export const isRateLimited = (error: { extensions?: Record<string, unknown> }): boolean => error.extensions?.code === RateLimitedError.code;
