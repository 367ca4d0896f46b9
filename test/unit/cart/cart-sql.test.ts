import { dateOf, dateOrNull, intOf, intOrNull, jsonOf } from '../../../src/db/sql/row-values';

describe('cart SQL value readers', () => {
  const instant = new Date('2031-03-01T10:00:00.123Z');

  it('when a date comes as a Date, epoch milliseconds (libSQL), a numeric string or an ISO string (PostgreSQL JSON), then each reads as the same instant', () => {
    for (const value of [instant, instant.getTime(), String(instant.getTime()), '2031-03-01T10:00:00.123+00:00']) {
      expect(dateOf(value).getTime()).toBe(instant.getTime());
    }
    expect(dateOrNull(null)).toBeNull();
  });

  it('when an integer comes as a number or a bigint string (PostgreSQL sum, bigint money), then it reads as a number', () => {
    expect(intOf(1_250)).toBe(1_250);
    expect(intOf('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(intOrNull(undefined)).toBeNull();
  });

  it('when an integer would lose precision or is not a number, then reading it throws', () => {
    expect(() => intOf('9007199254740993')).toThrow(RangeError);
    expect(() => intOf('12.5')).toThrow(RangeError);
    expect(() => intOf('abc')).toThrow(RangeError);
  });

  it('when JSON comes as text (libSQL) or parsed (PostgreSQL), then both read alike', () => {
    expect(jsonOf('["A","B"]')).toEqual(['A', 'B']);
    expect(jsonOf(['A', 'B'])).toEqual(['A', 'B']);
  });
});
