/**
 * Stripe's error envelope. The SDK picks its error class from the HTTP status
 * (400/404 -> InvalidRequest or Idempotency by `type`, 401 -> Authentication,
 * 402 -> Card, anything else -> API error), so status and `type` must agree
 * with what real Stripe sends.
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  doc_url?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  envelope(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

export function withDocUrl<T extends { code?: string }>(body: T): T {
  return body.code ? { ...body, doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, '-')}` } : body;
}

export function invalidRequest(message: string, options: { param?: string; code?: string; status?: number } = {}): ApiError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (options.code) body.code = options.code;
  if (options.param) body.param = options.param;
  return new ApiError(options.status ?? 400, withDocUrl(body));
}

/**
 * An id in the URL that does not exist is a 404; an id passed as a parameter
 * that does not exist is a 400 naming that parameter.
 */
export function resourceMissing(objectName: string, id: string, param = 'id'): ApiError {
  return invalidRequest(`No such ${objectName}: '${id}'`, {
    code: 'resource_missing',
    param,
    status: param === 'id' ? 404 : 400,
  });
}

export function apiError(status: number, message: string): ApiError {
  return new ApiError(status, { type: 'api_error', message });
}
