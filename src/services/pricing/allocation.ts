/**
 * Largest-remainder (Hamilton) allocation: splits an integer total over
 * weights so the parts sum to the total exactly, with no "penny drift" that a
 * per-part rounding would cause. All arithmetic is BigInt because
 * total x weight easily exceeds 2^53 for real order amounts.
 */
import { assertNonNegativeSafeInteger } from './safe-integer';

/**
 * Each part gets floor(total x weight / sumOfWeights); the units left over go
 * one each to the parts with the largest remainders, earlier index first on a
 * tie, so the split is a pure function of its arguments.
 *
 * Guarantees: Σ result === total; each part is the floor or ceiling of its
 * exact quota; a zero weight gets 0; when total <= Σ weights no part exceeds
 * its weight (a part only gains a unit when its quota is fractional, i.e.
 * strictly below its weight). Throws RangeError when a positive total has
 * nothing to be allocated to (no weights, or all weights zero).
 */
export function allocateLargestRemainder(total: number, weights: number[]): number[] {
  const amount = BigInt(assertNonNegativeSafeInteger(total, 'total'));
  const exactWeights = weights.map((weight, index) => BigInt(assertNonNegativeSafeInteger(weight, `weights[${index}]`)));
  const weightSum = exactWeights.reduce((sum, weight) => sum + weight, 0n);

  if (weightSum === 0n) {
    if (amount === 0n) return weights.map(() => 0);
    throw new RangeError(`cannot allocate ${total} over weights that sum to zero`);
  }

  const shares = exactWeights.map((weight) => (amount * weight) / weightSum);
  const remainders = exactWeights.map((weight) => (amount * weight) % weightSum);
  const allocated = shares.reduce((sum, share) => sum + share, 0n);
  // Σ remainders = leftover × weightSum with every remainder < weightSum, so leftover < weights.length.
  const leftover = Number(amount - allocated);

  const byLargestRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let k = 0; k < leftover; k += 1) {
    shares[byLargestRemainder[k].index] += 1n;
  }

  // Every share is <= total, which was checked to be safe.
  return shares.map((share) => Number(share));
}
