/**
 * The one rounding rule of the money path: half-up, meaning an exact half
 * rounds away from zero (2.5 -> 3, -2.5 -> -3). Division is done on BigInt so
 * products such as amount x basis points never pass through a float.
 */
import { assertBasisPoints, assertNonNegativeSafeInteger, BASIS_POINTS_PER_UNIT } from './safe-integer';

/**
 * numerator / denominator rounded half away from zero. The denominator may be
 * negative (the sign is folded into the numerator) but not zero.
 */
export function roundHalfUpDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('roundHalfUpDiv: denominator must not be zero');
  // Fold the sign into the numerator so the rounding below only sees d > 0.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  // Round the magnitude, then restore the sign: that is what makes halves go away from zero.
  const magnitude = n < 0n ? -n : n;
  const quotient = magnitude / d;
  const remainder = magnitude % d;
  const rounded = remainder * 2n >= d ? quotient + 1n : quotient;
  return n < 0n ? -rounded : rounded;
}

/**
 * roundHalfUp(amount x bps / 10000). bps is limited to 0..10000, so the result
 * never exceeds `amount` and is always a safe integer.
 */
export function applyBasisPoints(amount: number, bps: number): number {
  const base = assertNonNegativeSafeInteger(amount, 'amount');
  const rate = assertBasisPoints(bps, 'bps');
  return Number(roundHalfUpDiv(BigInt(base) * BigInt(rate), BigInt(BASIS_POINTS_PER_UNIT)));
}
