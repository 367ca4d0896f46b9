import { applyBasisPoints, roundHalfUpDiv } from '../../../src/services/pricing/pricing-engine';

const MAX = Number.MAX_SAFE_INTEGER;

describe('roundHalfUpDiv', () => {
  test.each([
    [0n, 7n, 0n],
    [6n, 3n, 2n],
    [7n, 3n, 2n], // 2.33 -> 2
    [8n, 3n, 3n], // 2.67 -> 3
    [5n, 2n, 3n], // 2.5 -> 3
    [4999n, 10000n, 0n], // 0.4999 -> 0
    [5000n, 10000n, 1n], // 0.5 -> 1
    [-5n, 2n, -3n], // -2.5 -> -3: away from zero, not towards +infinity
    [-7n, 3n, -2n],
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
  ])('when %p / %p is divided, then it rounds half away from zero to %p', (numerator, denominator, expected) => {
    expect(roundHalfUpDiv(numerator, denominator)).toBe(expected);
  });

  test('when the numerator is far beyond 2^53, then the quotient is still exact', () => {
    // (2^53 - 1) * 9999 / 10000 = 9007199254740991 - 900719925474.0991 = 9006298534815516.9009 -> ...517
    expect(roundHalfUpDiv(BigInt(MAX) * 9999n, 10000n)).toBe(9006298534815517n);
  });

  test('when the denominator is zero, then it throws a RangeError', () => {
    expect(() => roundHalfUpDiv(1n, 0n)).toThrow(RangeError);
  });
});

describe('applyBasisPoints', () => {
  test.each([
    [10000, 2000, 2000],
    [1005, 1000, 101], // 100.5 -> 101
    [1004, 1000, 100], // 100.4 -> 100
    [5, 1000, 1], // 0.5 -> 1
    [4, 1000, 0], // 0.4 -> 0
    [123, 0, 0],
    [123, 10000, 123],
    [0, 10000, 0],
  ])('when %p is taken at %p bps, then the result is %p', (amount, bps, expected) => {
    expect(applyBasisPoints(amount, bps)).toBe(expected);
  });

  test('when 7000000000000007 is taxed at 20%, then the exact 1400000000000001.4 rounds to ...001 where floats give ...002', () => {
    expect(Math.round((7000000000000007 * 2000) / 10000)).toBe(1400000000000002); // the float bug this guards against
    expect(applyBasisPoints(7000000000000007, 2000)).toBe(1400000000000001);
  });

  test('when 5000000000000025 is taxed at 10%, then the exact half 500000000000002.5 rounds up where floats round down', () => {
    expect(Math.round((5000000000000025 * 1000) / 10000)).toBe(500000000000002);
    expect(applyBasisPoints(5000000000000025, 1000)).toBe(500000000000003);
  });

  test('when MAX_SAFE_INTEGER is taken at 99.99%, then the result is exact', () => {
    // 9007199254740991 - 900719925474.0991 = 9006298534815516.9009 -> ...517
    expect(Math.round((MAX * 9999) / 10000)).toBe(9006298534815516);
    expect(applyBasisPoints(MAX, 9999)).toBe(9006298534815517);
  });

  test.each([
    [-1, 100],
    [1.5, 100],
    [MAX + 1, 100],
    [Number.NaN, 100],
    [100, -1],
    [100, 10001],
    [100, 12.5],
    [100, Number.POSITIVE_INFINITY],
  ])('when amount %p or bps %p is out of range, then it throws a RangeError', (amount, bps) => {
    expect(() => applyBasisPoints(amount, bps)).toThrow(RangeError);
  });
});
