import { ConfigError, loadConfig } from '../../../src/config';
import { warnWhenBillingDayIsShort } from '../../../src/services/subscriptions/billing-day-warning';
import { captureLogLines } from '../../support/log-capture';

const PRODUCTION = { NODE_ENV: 'production' };

describe('loadConfig: subscription billing (issue 21)', () => {
  it('when nothing is set, then a billing day is a calendar day, renewals are looked for every minute and retried 1, 3 and 5 days on', () => {
    expect(loadConfig({}).billing).toEqual({ daySeconds: 86_400, checkIntervalMs: 60_000, renewalRetryDays: [1, 3, 5] });
  });

  it('when the settings are given, then they are kept, a short billing day in production too', () => {
    expect(loadConfig({ BILLING_DAY_SECONDS: '1', BILLING_CHECK_INTERVAL: '250ms', RENEWAL_RETRY_DAYS: ' 2, 4 ,8,16 ' }).billing).toEqual({
      daySeconds: 1,
      checkIntervalMs: 250,
      renewalRetryDays: [2, 4, 8, 16],
    });
    expect(loadConfig({ ...PRODUCTION, BILLING_DAY_SECONDS: '60' }).billing.daySeconds).toBe(60);
    expect(loadConfig({ RENEWAL_RETRY_DAYS: '7' }).billing.renewalRetryDays).toEqual([7]);
  });

  it('when a value makes no sense, then start-up stops with one line naming the setting', () => {
    const refusal = (env: Record<string, string>) => () => loadConfig(env);
    expect(refusal({ BILLING_DAY_SECONDS: '0' })).toThrow(new ConfigError('BILLING_DAY_SECONDS must be between 1 and 86400 (got 0)'));
    expect(refusal({ BILLING_DAY_SECONDS: '86401' })).toThrow(new ConfigError('BILLING_DAY_SECONDS must be between 1 and 86400 (got 86401)'));
    expect(refusal({ BILLING_DAY_SECONDS: '1d' })).toThrow(new ConfigError('BILLING_DAY_SECONDS must be a whole number (got "1d")'));
    expect(refusal({ BILLING_CHECK_INTERVAL: '0s' })).toThrow(new ConfigError('BILLING_CHECK_INTERVAL must be longer than 0 (got "0s")'));
    expect(refusal({ BILLING_CHECK_INTERVAL: '60' })).toThrow(/^BILLING_CHECK_INTERVAL must be a duration/);
    const ascending = 'RENEWAL_RETRY_DAYS must be billing days in ascending order, like 1,3,5';
    for (const raw of ['3,1,5', '1,1,2', '1,,3', '1.5,3', '-1,2', 'one', '1,3,']) {
      expect(refusal({ RENEWAL_RETRY_DAYS: raw })).toThrow(new ConfigError(`${ascending} (got "${raw}")`));
    }
    expect(refusal({ RENEWAL_RETRY_DAYS: '0,3' })).toThrow(new ConfigError('RENEWAL_RETRY_DAYS must be between 1 and 366 (got 0)'));
    expect(refusal({ RENEWAL_RETRY_DAYS: '1,400' })).toThrow(new ConfigError('RENEWAL_RETRY_DAYS must be between 1 and 366 (got 400)'));
  });

  it('when a process starts with a billing day shorter than a calendar day, then it logs one warning; with a calendar day, nothing', async () => {
    const warnings = async (env: Record<string, string>) =>
      (await captureLogLines(async () => warnWhenBillingDayIsShort(loadConfig(env))))
        .map((line) => JSON.parse(line))
        .filter((entry) => entry.event === 'billing.short_day');

    expect(await warnings({ ...PRODUCTION, BILLING_DAY_SECONDS: '2' })).toEqual([
      expect.objectContaining({ level: 'warn', billingDaySeconds: 2, production: true, effect: expect.stringContaining('a MONTH 60s') }),
    ]);
    expect(await warnings({ ...PRODUCTION })).toEqual([]);
    expect(await warnings({ BILLING_DAY_SECONDS: '86400' })).toEqual([]);
  });
});
