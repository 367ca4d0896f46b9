import { ErrorCode } from './error-code';

/**
 * Expected business failures are values, not exceptions (house rule 2, docs/design.md). A
 * service returns an Outcome; the resolver maps a failure to a union member.
 */
export interface StockShortfall {
  variantId: string;
  requested: number;
  available: number;
}
export interface PriceChange {
  variantId: string;
  previous: number;
  current: number;
  currency: string;
}

export type Failure =
  | { kind: 'user'; code: ErrorCode; message: string; field?: string }
  | { kind: 'insufficient_stock'; code: ErrorCode.INSUFFICIENT_STOCK; message: string; shortfalls: StockShortfall[] }
  | { kind: 'price_changed'; code: ErrorCode.PRICE_CHANGED; message: string; changes: PriceChange[]; versionKey: string };

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const userFailure = (code: ErrorCode, message: string, field?: string): Failure => ({ kind: 'user', code, message, field });

export const fail = <T = never>(code: ErrorCode, message: string, field?: string): Outcome<T> => ({
  ok: false,
  failure: userFailure(code, message, field),
});

export const insufficientStock = (shortfalls: StockShortfall[]): Failure => ({
  kind: 'insufficient_stock',
  code: ErrorCode.INSUFFICIENT_STOCK,
  message: 'Not enough stock for: ' + shortfalls.map((s) => `${s.variantId} (${s.available} available)`).join(', '),
  shortfalls,
});

/**
 * Thrown inside a transaction to roll it back with a business failure; caught at
 * the service boundary by `transactionalOutcome` and returned as a value.
 */
export class FailureSignal extends Error {
  override name = 'FailureSignal';
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export const abortWith = (failure: Failure): never => {
  throw new FailureSignal(failure);
};
