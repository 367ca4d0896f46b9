/**
 * Guards for the money path. Every amount enters and leaves the pricing engine
 * as a JavaScript number, but a number above 2^53 - 1 silently stops being an
 * integer, so each boundary is checked here instead of trusting callers.
 * Invalid input is a programming error upstream (the cart layer validates what
 * buyers send), hence RangeError rather than a business-error value.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const BASIS_POINTS_PER_UNIT = 10_000;

export function assertNonNegativeSafeInteger(value: number, label: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative safe integer, got ${String(value)}`);
  }
  // Normalise -0 so it can never leak into a result.
  return value === 0 ? 0 : value;
}

export function assertPositiveSafeInteger(value: number, label: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${label} must be a positive safe integer, got ${String(value)}`);
  }
  return value;
}

/** Rates above 100% would let a discount exceed its base or a tax double the price. */
export function assertBasisPoints(value: number, label: string): number {
  if (!Number.isInteger(value) || value < 0 || value > BASIS_POINTS_PER_UNIT) {
    throw new RangeError(`${label} must be an integer in 0..${BASIS_POINTS_PER_UNIT} basis points, got ${String(value)}`);
  }
  return value === 0 ? 0 : value;
}

/** Converts an exact BigInt result back to a number, refusing anything a number cannot hold exactly. */
export function toSafeInteger(value: bigint, label: string): number {
  if (value < 0n || value > MAX_SAFE) {
    throw new RangeError(`${label} is outside 0..Number.MAX_SAFE_INTEGER: ${value.toString()}`);
  }
  return Number(value);
}

/** Sums with a BigInt accumulator so an intermediate overflow is reported, not rounded. */
export function sumExact(values: readonly number[], label: string): number {
  let sum = 0n;
  for (const value of values) sum += BigInt(value);
  return toSafeInteger(sum, label);
}
