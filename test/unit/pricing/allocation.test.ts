import fc from 'fast-check';
import { allocateLargestRemainder } from '../../../src/services/pricing/pricing-engine';

const MAX = Number.MAX_SAFE_INTEGER;

describe('allocateLargestRemainder — examples', () => {
  test.each([
    { total: 100, weights: [1, 1, 1], expected: [34, 33, 33] }, // 33.33 each, the one leftover unit goes to the first
    { total: 200, weights: [1, 1, 1], expected: [67, 67, 66] },
    { total: 2, weights: [2, 1, 1], expected: [1, 1, 0] }, // 1, .5, .5: tie on remainder broken by position, not weight
    { total: 2, weights: [1, 1, 2], expected: [1, 0, 1] }, // .5, .5, 1: the earlier half wins
    { total: 3, weights: [1, 2], expected: [1, 2] },
    { total: 10, weights: [0, 5, 0, 5], expected: [0, 5, 0, 5] },
    { total: 7, weights: [3, 0, 6], expected: [2, 0, 5] }, // 2.33, 0, 4.67: the larger remainder (.67) wins
    { total: 0, weights: [3, 4], expected: [0, 0] },
    { total: 0, weights: [0, 0], expected: [0, 0] },
    { total: 0, weights: [], expected: [] },
    { total: 5, weights: [1], expected: [5] },
  ])('when $total is split over $weights, then the parts are $expected', ({ total, weights, expected }) => {
    expect(allocateLargestRemainder(total, weights)).toEqual(expected);
  });

  test('when the total equals weights near 2^53, then each part equals its weight where float division loses a unit', () => {
    const weights = [3, 9007199254740987]; // Σ = 9007199254740990 = total, so every quota is exactly its weight
    expect(Math.floor((9007199254740990 * 3) / 9007199254740990)).toBe(2); // the float bug this guards against
    expect(allocateLargestRemainder(9007199254740990, weights)).toEqual([3, 9007199254740987]);
  });

  test('when 2^52 is split over [2^52 - 1, 2^52], then the half-and-half split is exact', () => {
    // quotas: 2^52 * (2^52 - 1) / (2^53 - 1) = 2251799813685247.75 and 2^52 * 2^52 / (2^53 - 1) = 2251799813685248.25
    expect(allocateLargestRemainder(2 ** 52, [2 ** 52 - 1, 2 ** 52])).toEqual([2251799813685248, 2251799813685248]);
  });

  test.each([
    { total: 1, weights: [] as number[] },
    { total: 1, weights: [0, 0] },
    { total: -1, weights: [1] },
    { total: 1.5, weights: [1] },
    { total: 1, weights: [1, -1] },
    { total: 1, weights: [MAX + 1] },
  ])('when total $total over $weights cannot be allocated, then it throws a RangeError', ({ total, weights }) => {
    expect(() => allocateLargestRemainder(total, weights)).toThrow(RangeError);
  });
});

describe('allocateLargestRemainder — properties', () => {
  const weightArb = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1_000_000 }), fc.maxSafeNat());
  const caseArb = fc
    .array(weightArb, { minLength: 1, maxLength: 12 })
    .filter((weights) => weights.some((weight) => weight > 0))
    .chain((weights) => fc.record({ weights: fc.constant(weights), total: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.maxSafeNat()) }));

  test('when any total is split over any weights, then the parts sum to the total and each is the floor or ceiling of its quota', () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights }) => {
        const parts = allocateLargestRemainder(total, weights);
        const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((sum, part) => sum + BigInt(part), 0n)).toBe(BigInt(total));
        parts.forEach((part, index) => {
          expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
          const floor = (BigInt(total) * BigInt(weights[index])) / weightSum;
          expect(BigInt(part) - floor).toBeGreaterThanOrEqual(0n);
          expect(BigInt(part) - floor).toBeLessThanOrEqual(1n);
        });
      }),
      { numRuns: 500 },
    );
  });

  test('when a leftover unit is handed out, then no part that missed it had a larger remainder or an equal one earlier', () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights }) => {
        const parts = allocateLargestRemainder(total, weights);
        const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
        const remainder = (index: number): bigint => (BigInt(total) * BigInt(weights[index])) % weightSum;
        const bumped = (index: number): boolean => BigInt(parts[index]) * weightSum > BigInt(total) * BigInt(weights[index]);
        weights.forEach((_, winner) => {
          if (!bumped(winner)) return;
          weights.forEach((__, loser) => {
            if (bumped(loser) || loser === winner) return;
            // A missed part either had a smaller remainder, or the same one but a later position.
            expect(remainder(loser) < remainder(winner) || (remainder(loser) === remainder(winner) && loser > winner)).toBe(true);
          });
        });
      }),
      { numRuns: 500 },
    );
  });

  test('when the total does not exceed the weights, then no part exceeds its weight and zero weights get zero', () => {
    const boundedArb = caseArb.map(({ total, weights }) => {
      const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
      return { weights, total: Number(BigInt(total) % (weightSum + 1n)) };
    });
    fc.assert(
      fc.property(boundedArb, ({ total, weights }) => {
        const parts = allocateLargestRemainder(total, weights);
        parts.forEach((part, index) => expect(part).toBeLessThanOrEqual(weights[index]));
        weights.forEach((weight, index) => {
          if (weight === 0) expect(parts[index]).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });
});
