import Stripe from 'stripe';
import type { Config } from '../../../config';
import { retryDelayMs } from '../../shared/backoff';
import { logger } from '../../shared/logger';
import { stripeRequestDuration, stripeRequests } from '../../../observability/metrics';
import { classifyStripeError, StripeCallError } from './stripe-errors';

/** How long one Stripe HTTP call may take before it counts as a (indeterminate) timeout. */
export const STRIPE_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The Stripe SDK client, or null when no secret key is configured (the server
 * then runs with card payments answering PAYMENT_PROVIDER_NOT_CONFIGURED).
 * The SDK's own retries are off: `stripeWrite` retries with OUR key, bounded and
 * observable, instead of relying on the SDK's `stripe-node-retry-…` keys.
 */
export function createStripeClient(config: Config): Stripe | null {
  if (!config.stripeSecretKey) return null;
  const base = config.stripeApiBase;
  return new Stripe(config.stripeSecretKey, {
    timeout: STRIPE_REQUEST_TIMEOUT_MS,
    maxNetworkRetries: 0,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const),
        }
      : {}),
  });
}

export interface StripeRetryPolicy {
  /** Total attempts including the first; at least 1. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_STRIPE_RETRY_POLICY: StripeRetryPolicy = { maxAttempts: 3, baseDelayMs: 150, maxDelayMs: 2_000 };

/**
 * Every outbound Stripe write goes through here. It refuses to send without an
 * explicit key (an empty key is a bug, not a runtime condition), sends that key
 * on every attempt, retries only failures Stripe provably did not act on (or
 * asked us to retry), and turns the last failure into a classified StripeCallError.
 */
export async function stripeWrite<T>(
  operation: string,
  idempotencyKey: string,
  call: (options: Stripe.RequestOptions) => Promise<T>,
  policy: StripeRetryPolicy = DEFAULT_STRIPE_RETRY_POLICY,
): Promise<T> {
  if (typeof idempotencyKey !== 'string' || idempotencyKey.trim() === '') {
    throw new Error(`stripeWrite(${operation}) called without an idempotency key: every Stripe write needs a stable key`);
  }
  return withRetries(operation, () => call({ idempotencyKey }), policy, { idempotencyKey });
}

/**
 * Reads are safe to repeat, so lost answers are retried too; the last failure
 * still comes out as a classified StripeCallError.
 */
export async function stripeRead<T>(operation: string, call: () => Promise<T>, policy: StripeRetryPolicy = DEFAULT_STRIPE_RETRY_POLICY): Promise<T> {
  return withRetries(operation, call, policy, { retryIndeterminate: true });
}

async function withRetries<T>(
  operation: string,
  attempt: () => Promise<T>,
  policy: StripeRetryPolicy,
  context: { idempotencyKey?: string; retryIndeterminate?: boolean },
): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await observed(operation, attempt);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      const classification = classifyStripeError(error);
      const worthRetrying = classification.kind === 'retryable' || (context.retryIndeterminate === true && classification.kind === 'indeterminate');
      if (!worthRetrying || attemptNumber >= maxAttempts) throw new StripeCallError(operation, classification, error);
      const delayMs = retryDelayMs(attemptNumber, { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs });
      logger.warn('stripe.retry', { operation, attempt: attemptNumber, delayMs, code: classification.code, idempotencyKey: context.idempotencyKey });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Every attempt counted in stripe_requests_total by its outcome class, and timed. */
async function observed<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
  const stopTimer = stripeRequestDuration.startTimer({ operation });
  try {
    const result = await attempt();
    stripeRequests.inc({ operation, outcome: 'ok' });
    return result;
  } catch (error) {
    stripeRequests.inc({ operation, outcome: error instanceof Stripe.errors.StripeError ? classifyStripeError(error).kind : 'error' });
    throw error;
  } finally {
    stopTimer();
  }
}
