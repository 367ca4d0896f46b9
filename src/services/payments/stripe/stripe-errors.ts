import Stripe from 'stripe';

/**
 * Every Stripe failure is sorted into one of three kinds (house rule 6, docs/design.md), because
 * what a caller may do next depends on whether money might have moved:
 * - retryable: Stripe provably did not act, or asks us to retry (rate limit,
 *   5xx, lock timeout, the connection was refused) — retry with the SAME key;
 * - indeterminate: the request may have been applied and its answer was lost
 *   (timeout, reset socket, a key still in flight) — never compensate blindly,
 *   ask Stripe later (retrieve by id or search by metadata);
 * - terminal: Stripe refused it for good (card declined, invalid request).
 */
export type StripeErrorKind = 'retryable' | 'indeterminate' | 'terminal';

export interface StripeErrorClassification {
  kind: StripeErrorKind;
  code: string | null;
  declineCode: string | null;
  message: string;
}

/** Codes that mean "the thing you asked for is already true": callers treat them as success. */
export const ALREADY_DONE_CODES: readonly string[] = ['charge_already_refunded'];

/**
 * Reversing a transfer that is already fully reversed has no error code at
 * Stripe (none in the SDK's generated code list; stripe/stripe-ruby#1058 asks
 * for one): it answers 400 invalid_request_error with no `code` and the
 * message "The transfer tr_… is already fully reversed." — so the message is
 * all there is to recognise it by.
 */
const ALREADY_DONE_MESSAGES: readonly RegExp[] = [/\bis already fully reversed\b/i];

/** The socket never carried the request: Stripe cannot have acted on it. */
const NEVER_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

const RETRYABLE_API_CODES = ['lock_timeout', 'rate_limit'];

/** The error Stripe adapters throw, carrying the classification of the underlying failure. */
export class StripeCallError extends Error {
  override name = 'StripeCallError';
  constructor(
    readonly operation: string,
    readonly classification: StripeErrorClassification,
    readonly cause: unknown,
  ) {
    super(`Stripe ${operation} failed (${classification.kind}${classification.code ? `, ${classification.code}` : ''}): ${classification.message}`);
  }

  get kind(): StripeErrorKind {
    return this.classification.kind;
  }

  get code(): string | null {
    return this.classification.code;
  }
}

export function classifyStripeError(error: unknown): StripeErrorClassification {
  if (error instanceof StripeCallError) return error.classification;
  if (!(error instanceof Stripe.errors.StripeError)) {
    // Not from the SDK: we cannot tell whether the request left the process.
    return { kind: 'indeterminate', code: null, declineCode: null, message: error instanceof Error ? error.message : String(error) };
  }
  const classified = (kind: StripeErrorKind): StripeErrorClassification => ({
    kind,
    code: error.code ?? null,
    declineCode: error.decline_code ?? null,
    message: error.message,
  });

  if (error instanceof Stripe.errors.StripeConnectionError) {
    const detailCode = connectionDetailCode(error);
    return classified(detailCode !== null && NEVER_SENT_CODES.includes(detailCode) ? 'retryable' : 'indeterminate');
  }
  if (error.code === 'idempotency_key_in_use') return classified('indeterminate');
  if (error instanceof Stripe.errors.StripeCardError) return classified('terminal');
  if (error instanceof Stripe.errors.StripeRateLimitError) return classified('retryable');
  if (error.code !== undefined && RETRYABLE_API_CODES.includes(error.code)) return classified('retryable');
  const shouldRetry = error.headers?.['stripe-should-retry'];
  if (shouldRetry === 'true') return classified('retryable');
  if ((error.statusCode ?? 0) >= 500 || error.statusCode === 429) return classified('retryable');
  return classified('terminal');
}

/**
 * True when a failure says the requested effect already holds (the charge is
 * already refunded, the transfer already fully reversed). The one place that
 * decides it, for refunds and reversals alike.
 */
export function isAlreadyDone(error: unknown): boolean {
  const raw = error instanceof StripeCallError ? error.cause : error;
  if (!(raw instanceof Stripe.errors.StripeError)) return false;
  if (raw.code !== undefined && ALREADY_DONE_CODES.includes(raw.code)) return true;
  return raw instanceof Stripe.errors.StripeInvalidRequestError && ALREADY_DONE_MESSAGES.some((pattern) => pattern.test(raw.message));
}

function connectionDetailCode(error: InstanceType<typeof Stripe.errors.StripeConnectionError>): string | null {
  const detail = error.detail;
  if (detail && typeof detail === 'object' && 'code' in detail && typeof detail.code === 'string') return detail.code;
  return null;
}
