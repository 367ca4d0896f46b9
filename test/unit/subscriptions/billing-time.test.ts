import { BillingInterval } from '../../../src/entities/enums';
import {
  billingPeriod,
  periodBoundary,
  periodIndexStartingAt,
  periodStartingAt,
  renewalRetryAt,
  type BillingCycle,
} from '../../../src/services/subscriptions/billing-time';

const DAY = 86_400;
const at = (iso: string) => new Date(iso);
const cycle = (interval: BillingInterval, intervalCount = 1): BillingCycle => ({ interval, intervalCount });
/** The starts of periods 0..count-1, as ISO strings. */
const starts = (anchor: string, plan: BillingCycle, count: number, daySeconds = DAY) =>
  Array.from({ length: count }, (_, n) => periodBoundary(at(anchor), plan, n, daySeconds).toISOString());

describe('billing time', () => {
  it('when a monthly plan is anchored on the 31st, then it renews on the last day of shorter months and on the 31st again when the month has one', () => {
    expect(starts('2026-01-31T09:30:15.250Z', cycle(BillingInterval.MONTH), 6)).toEqual([
      '2026-01-31T09:30:15.250Z',
      '2026-02-28T09:30:15.250Z',
      '2026-03-31T09:30:15.250Z',
      '2026-04-30T09:30:15.250Z',
      '2026-05-31T09:30:15.250Z',
      '2026-06-30T09:30:15.250Z',
    ]);
    expect(periodBoundary(at('2028-01-31T00:00:00Z'), cycle(BillingInterval.MONTH), 1, DAY).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('when a yearly plan is anchored on 29 February, then it renews on 28 February in other years and on the 29th in leap years', () => {
    expect(starts('2028-02-29T12:00:00Z', cycle(BillingInterval.YEAR), 5)).toEqual([
      '2028-02-29T12:00:00.000Z',
      '2029-02-28T12:00:00.000Z',
      '2030-02-28T12:00:00.000Z',
      '2031-02-28T12:00:00.000Z',
      '2032-02-29T12:00:00.000Z',
    ]);
  });

  it('when a plan renews every 3 months across a year end, then each boundary counts from the anchor, not from the clamped one before', () => {
    expect(starts('2026-11-30T00:00:00Z', cycle(BillingInterval.MONTH, 3), 5)).toEqual([
      '2026-11-30T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
      '2027-05-30T00:00:00.000Z',
      '2027-08-30T00:00:00.000Z',
      '2027-11-30T00:00:00.000Z',
    ]);
  });

  it('when a plan renews by the day or the week, then a period is 86400 seconds a day in UTC, daylight saving or not', () => {
    expect(starts('2026-03-27T23:00:00Z', cycle(BillingInterval.DAY, 2), 3)).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
      '2026-03-31T23:00:00.000Z',
    ]);
    expect(starts('2026-10-20T08:00:00Z', cycle(BillingInterval.WEEK), 2)).toEqual(['2026-10-20T08:00:00.000Z', '2026-10-27T08:00:00.000Z']);
  });

  it('when the billing day is shorter than a calendar day, then a DAY, WEEK, MONTH and YEAR are 1, 7, 30 and 365 billing days, without a calendar', () => {
    const anchor = at('2026-01-31T00:00:00Z');
    const seconds = (plan: BillingCycle, n: number) => (periodBoundary(anchor, plan, n, 1).getTime() - anchor.getTime()) / 1000;

    expect([BillingInterval.DAY, BillingInterval.WEEK, BillingInterval.MONTH, BillingInterval.YEAR].map((interval) => seconds(cycle(interval), 1))).toEqual([
      1, 7, 30, 365,
    ]);
    expect(seconds(cycle(BillingInterval.MONTH, 2), 3)).toBe(180);
    expect((periodBoundary(anchor, cycle(BillingInterval.MONTH), 1, 60).getTime() - anchor.getTime()) / 1000).toBe(1_800);
  });

  it('when periods follow one another, then each ends exactly where the next begins', () => {
    for (const interval of Object.values(BillingInterval)) {
      for (const daySeconds of [DAY, 5]) {
        for (let n = 0; n < 40; n++) {
          const plan = cycle(interval, 1 + (n % 3));
          const anchor = at('2027-08-31T23:59:59.999Z');
          expect(billingPeriod(anchor, plan, n, daySeconds).end).toEqual(billingPeriod(anchor, plan, n + 1, daySeconds).start);
          expect(billingPeriod(anchor, plan, n, daySeconds).end.getTime()).toBeGreaterThan(billingPeriod(anchor, plan, n, daySeconds).start.getTime());
        }
      }
    }
  });

  it('when a period is looked up by its start, then its index and bounds come back; a date that starts no period gives null', () => {
    const anchor = at('2026-01-31T00:00:00Z');
    const monthly = cycle(BillingInterval.MONTH);

    expect(periodIndexStartingAt(anchor, monthly, at('2026-01-31T00:00:00Z'), DAY)).toBe(0);
    expect(periodIndexStartingAt(anchor, monthly, at('2026-04-30T00:00:00Z'), DAY)).toBe(3);
    expect(periodIndexStartingAt(anchor, monthly, at('2110-01-31T00:00:00Z'), DAY)).toBe(1_008);
    expect(periodIndexStartingAt(anchor, monthly, at('2026-04-30T00:00:01Z'), DAY)).toBeNull();
    expect(periodIndexStartingAt(anchor, monthly, at('2025-12-31T00:00:00Z'), DAY)).toBeNull();
    expect(periodStartingAt(anchor, monthly, at('2026-02-28T00:00:00Z'), DAY)).toEqual({ start: at('2026-02-28T00:00:00Z'), end: at('2026-03-31T00:00:00Z') });
    expect(periodStartingAt(anchor, cycle(BillingInterval.YEAR), at('2026-02-28T00:00:00Z'), DAY)).toBeNull();
    expect(periodIndexStartingAt(anchor, cycle(BillingInterval.WEEK, 2), at('2026-01-31T00:10:30Z'), 45)).toBe(1);
  });

  it('when a renewal is declined, then each retry is due its RENEWAL_RETRY_DAYS billing days after the first failure, and none after the last', () => {
    const firstFailure = at('2026-05-01T06:00:00Z');
    const retryDays = [1, 3, 5];

    expect([1, 2, 3, 4].map((failed) => renewalRetryAt(firstFailure, failed, retryDays, DAY)?.toISOString() ?? null)).toEqual([
      '2026-05-02T06:00:00.000Z',
      '2026-05-04T06:00:00.000Z',
      '2026-05-06T06:00:00.000Z',
      null,
    ]);
    expect(renewalRetryAt(firstFailure, 2, retryDays, 2)?.toISOString()).toBe('2026-05-01T06:00:06.000Z');
  });

  it('when the inputs cannot describe a period, then it throws instead of billing a wrong date', () => {
    const anchor = at('2026-01-01T00:00:00Z');
    expect(() => periodBoundary(anchor, cycle(BillingInterval.MONTH, 0), 1, DAY)).toThrow(RangeError);
    expect(() => periodBoundary(anchor, cycle(BillingInterval.MONTH, 1.5), 1, DAY)).toThrow(RangeError);
    expect(() => periodBoundary(anchor, cycle(BillingInterval.MONTH), -1, DAY)).toThrow(RangeError);
    expect(() => periodBoundary(anchor, cycle('FORTNIGHT' as BillingInterval), 1, DAY)).toThrow(RangeError);
    expect(() => periodBoundary(new Date(Number.NaN), cycle(BillingInterval.DAY), 1, DAY)).toThrow(RangeError);
    expect(() => periodBoundary(anchor, cycle(BillingInterval.DAY), 1, 0)).toThrow(RangeError);
    expect(() => periodBoundary(anchor, cycle(BillingInterval.DAY), 1, DAY + 1)).toThrow(RangeError);
    expect(() => renewalRetryAt(anchor, 0, [1], DAY)).toThrow(RangeError);
  });
});
