import { CALENDAR_DAY_SECONDS, type Config } from '../../config';
import { logger } from '../shared/logger';

/**
 * A billing day shorter than a calendar day is for tests and demos: it is
 * accepted anywhere, production included, but every process that starts with
 * it says so once, so nobody bills real customers by the second unawares.
 */
export function warnWhenBillingDayIsShort(config: Pick<Config, 'billing' | 'production'>): void {
  const { daySeconds } = config.billing;
  if (daySeconds >= CALENDAR_DAY_SECONDS) return;
  logger.warn('billing.short_day', {
    billingDaySeconds: daySeconds,
    production: config.production,
    effect: `plans renew without the calendar: a DAY is ${daySeconds}s, a MONTH ${30 * daySeconds}s, a YEAR ${365 * daySeconds}s`,
  });
}
