import { ApiError, invalidRequest } from './errors';

/** A response as it went (or would have gone) on the wire. */
export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

type IdempotencyRecord = { state: 'in_flight'; fingerprint: string } | { state: 'done'; fingerprint: string; response: StoredResponse };

export type ClaimOutcome = { kind: 'claimed'; claim: IdempotencyClaim } | { kind: 'replay'; response: StoredResponse } | { kind: 'refused'; error: ApiError };

export interface IdempotencyClaim {
  /** Keep the result: later requests with the key replay it. */
  store(response: StoredResponse): void;
  /** Forget the key: the request did not begin executing, so a retry runs afresh. */
  release(): void;
}

const MAX_KEY_LENGTH = 255;

/**
 * Stripe's idempotency layer for POSTs. Keys are scoped to the API key. A key
 * with a stored result replays it; the same key with other parameters is an
 * `idempotency_error` (400); the same key while the first request still runs
 * is a 409 conflict. Keys are never pruned here (Stripe keeps them >= 24h).
 */
export class IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  claim(apiKey: string, idempotencyKey: string, fingerprint: string): ClaimOutcome {
    if (idempotencyKey.length > MAX_KEY_LENGTH) {
      return { kind: 'refused', error: invalidRequest(`Idempotency keys can be at most ${MAX_KEY_LENGTH} characters long.`) };
    }
    const scopedKey = `${apiKey}\u0000${idempotencyKey}`;
    const existing = this.records.get(scopedKey);
    if (existing?.state === 'in_flight') return { kind: 'refused', error: inFlightConflict(idempotencyKey) };
    if (existing && existing.fingerprint !== fingerprint) return { kind: 'refused', error: parameterMismatch(idempotencyKey) };
    if (existing?.state === 'done') return { kind: 'replay', response: existing.response };
    this.records.set(scopedKey, { state: 'in_flight', fingerprint });
    return {
      kind: 'claimed',
      claim: {
        store: (response) => this.records.set(scopedKey, { state: 'done', fingerprint, response }),
        release: () => this.records.delete(scopedKey),
      },
    };
  }

  clear(): void {
    this.records.clear();
  }
}

function parameterMismatch(key: string): ApiError {
  return new ApiError(400, {
    type: 'idempotency_error',
    message:
      `Idempotency key '${key}' was first used with different parameters (or another endpoint). ` +
      'A key can only be reused for the exact same request; use a new key for a different one.',
  });
}

function inFlightConflict(key: string): ApiError {
  return new ApiError(409, {
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    message: `Another request with idempotency key '${key}' is still being processed. ` + 'Retry once it has finished to receive its result.',
  });
}

/**
 * Stripe saves a result only once the endpoint has begun executing: a request
 * refused by parameter validation (invalid_request_error) is not saved and a
 * retry runs afresh. Successes, card declines and server errors are saved.
 */
export function shouldStore(status: number, errorType: string | undefined): boolean {
  return !(status >= 400 && status < 500 && errorType === 'invalid_request_error');
}
