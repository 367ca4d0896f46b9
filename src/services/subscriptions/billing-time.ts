/**
 * When a subscription's periods begin and end, as pure functions of its
 * anchor, so every process computes the same boundaries (and so the same
 * period rows and idempotency keys). Period n runs from boundary(n) to
 * boundary(n + 1); boundary(0) is the anchor. Each boundary is computed from
 * the anchor itself, never from the previous period, so a short month does
 * not drag later renewals earlier.
 *
 * With a calendar day (BILLING_DAY_SECONDS = 86400), in UTC:
 * - DAY and WEEK are 1 and 7 days of 86400 seconds;
 * - MONTH and YEAR keep the anchor's day of the month and time of day; a day
 *   the month lacks becomes its last day (an anchor on the 31st renews on
 *   30 April and 28 or 29 February, and on 31 May again; 29 February renews
 *   on 28 February in other years).
 * With a shorter billing day (tests, demos) there is no calendar: a DAY is
 * that many seconds, and a WEEK, MONTH and YEAR are 7, 30 and 365 of them.
 */
import { CALENDAR_DAY_SECONDS } from '../../config';
import { BillingInterval } from '../../entities/enums';

/** How often a plan renews: every `intervalCount` intervals. */
export interface BillingCycle {
  interval: BillingInterval;
  intervalCount: number;
}

export interface BillingPeriod {
  start: Date;
  end: Date;
}

/** Billing days per interval when a billing day is shorter than a calendar day. */
const SHORT_DAY_UNITS: Readonly<Record<BillingInterval, number>> = {
  [BillingInterval.DAY]: 1,
  [BillingInterval.WEEK]: 7,
  [BillingInterval.MONTH]: 30,
  [BillingInterval.YEAR]: 365,
};

/** Calendar months per interval for MONTH and YEAR; days for DAY and WEEK. */
const CALENDAR_MONTHS: Partial<Readonly<Record<BillingInterval, number>>> = { [BillingInterval.MONTH]: 1, [BillingInterval.YEAR]: 12 };
const CALENDAR_DAYS: Partial<Readonly<Record<BillingInterval, number>>> = { [BillingInterval.DAY]: 1, [BillingInterval.WEEK]: 7 };

/** The start of period `n` (0 = the anchor). */
export function periodBoundary(anchor: Date, cycle: BillingCycle, n: number, daySeconds: number): Date {
  assertBillingInputs(anchor, cycle, daySeconds);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`period index must be a whole number from 0, got ${n}`);
  const intervals = n * cycle.intervalCount;
  if (daySeconds < CALENDAR_DAY_SECONDS) return addSeconds(anchor, intervals * SHORT_DAY_UNITS[cycle.interval] * daySeconds);
  const months = CALENDAR_MONTHS[cycle.interval];
  if (months !== undefined) return addCalendarMonths(anchor, intervals * months);
  return addSeconds(anchor, intervals * (CALENDAR_DAYS[cycle.interval] ?? 1) * CALENDAR_DAY_SECONDS);
}

/** Period `n`: from its boundary to the next one. */
export function billingPeriod(anchor: Date, cycle: BillingCycle, n: number, daySeconds: number): BillingPeriod {
  return { start: periodBoundary(anchor, cycle, n, daySeconds), end: periodBoundary(anchor, cycle, n + 1, daySeconds) };
}

/**
 * The index of the period that starts exactly at `start`, or null when no
 * period does (a renewal is always written for a boundary, so a null here
 * means the caller holds a date of another subscription or another cycle).
 */
export function periodIndexStartingAt(anchor: Date, cycle: BillingCycle, start: Date, daySeconds: number): number | null {
  assertBillingInputs(anchor, cycle, daySeconds);
  if (start.getTime() < anchor.getTime()) return null;
  // A lower bound by the longest possible interval, then step: at most a few steps for any cycle.
  const longestMs = cycle.intervalCount * maxIntervalSeconds(cycle.interval, daySeconds) * 1000;
  let n = Math.max(0, Math.floor((start.getTime() - anchor.getTime()) / longestMs));
  for (;;) {
    const boundary = periodBoundary(anchor, cycle, n, daySeconds).getTime();
    if (boundary === start.getTime()) return n;
    if (boundary > start.getTime()) return null;
    n += 1;
  }
}

/** The period that starts exactly at `start` (a renewal's: the current period's end), or null when none does. */
export function periodStartingAt(anchor: Date, cycle: BillingCycle, start: Date, daySeconds: number): BillingPeriod | null {
  const n = periodIndexStartingAt(anchor, cycle, start, daySeconds);
  return n === null ? null : billingPeriod(anchor, cycle, n, daySeconds);
}

/**
 * When retry `failedAttempts` of a declined renewal is due: RENEWAL_RETRY_DAYS
 * counts billing days from the renewal's first failed attempt. Null once
 * every retry has been spent (the period is then uncollectible).
 */
export function renewalRetryAt(firstFailedAt: Date, failedAttempts: number, retryDays: readonly number[], daySeconds: number): Date | null {
  if (!Number.isSafeInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failed attempts must be 1 or more, got ${failedAttempts}`);
  assertDaySeconds(daySeconds);
  const days = retryDays[failedAttempts - 1];
  return days === undefined ? null : addSeconds(firstFailedAt, days * daySeconds);
}

function maxIntervalSeconds(interval: BillingInterval, daySeconds: number): number {
  if (daySeconds < CALENDAR_DAY_SECONDS) return SHORT_DAY_UNITS[interval] * daySeconds;
  // A calendar month is at most 31 days, a year at most 366.
  const longestDays: Record<BillingInterval, number> = { DAY: 1, WEEK: 7, MONTH: 31, YEAR: 366 };
  return longestDays[interval] * CALENDAR_DAY_SECONDS;
}

function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/** The anchor moved by whole months in UTC, its day clamped to the target month's last day. */
function addCalendarMonths(anchor: Date, months: number): Date {
  const monthIndex = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()));
}

function assertBillingInputs(anchor: Date, cycle: BillingCycle, daySeconds: number): void {
  if (Number.isNaN(anchor.getTime())) throw new RangeError('billing anchor is not a valid date');
  if (!(cycle.interval in SHORT_DAY_UNITS)) throw new RangeError(`unknown billing interval ${String(cycle.interval)}`);
  if (!Number.isSafeInteger(cycle.intervalCount) || cycle.intervalCount < 1) {
    throw new RangeError(`billing interval count must be a whole number from 1, got ${cycle.intervalCount}`);
  }
  assertDaySeconds(daySeconds);
}

function assertDaySeconds(daySeconds: number): void {
  if (!Number.isSafeInteger(daySeconds) || daySeconds < 1 || daySeconds > CALENDAR_DAY_SECONDS) {
    throw new RangeError(`a billing day must be 1 to ${CALENDAR_DAY_SECONDS} seconds, got ${daySeconds}`);
  }
}
