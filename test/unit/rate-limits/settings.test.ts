import { ConfigError, loadConfig } from '../../../src/config';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/tillgate-settings-test', ...env });
const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('rate limit settings', () => {
  it('when nothing is set, then every limit is on with its default and X-Forwarded-For is not believed', () => {
    const config = load({});
    expect(config.rateLimits).toEqual({
      loginEmailIp: { points: 10, durationMs: 15 * MINUTE },
      loginEmail: { points: 100, durationMs: HOUR },
      loginIp: { points: 100, durationMs: 15 * MINUTE },
      signUpIp: { points: 20, durationMs: HOUR },
      voucherFailures: { points: 30, durationMs: HOUR },
      checkoutDeclines: { points: 10, durationMs: HOUR },
      checkoutOneInFlight: true,
      cartsIp: { points: 60, durationMs: HOUR },
      licenseMissesIp: { points: 60, durationMs: HOUR },
      graphqlRequestsIp: { points: 600, durationMs: MINUTE },
    });
    expect(config.trustProxy).toBe(false);
  });

  it('when RATE_LIMITS is off, then there are no limits', () => {
    expect(load({ RATE_LIMITS: 'off' }).rateLimits).toBeNull();
  });

  it('when a limit is written count/duration or off, then that one limit changes', () => {
    const limits = load({
      RATE_LIMIT_LOGIN_EMAIL_IP: '5/10m',
      RATE_LIMIT_LOGIN_EMAIL: 'off',
      RATE_LIMIT_SIGNUP_IP: 'off',
      RATE_LIMIT_CARTS_IP: '200 / 1d',
      RATE_LIMIT_CHECKOUT_ONE_IN_FLIGHT: 'off',
    }).rateLimits!;
    expect(limits.loginEmailIp).toEqual({ points: 5, durationMs: 10 * MINUTE });
    expect(limits.loginEmail).toBeNull();
    expect(limits.signUpIp).toBeNull();
    expect(limits.cartsIp).toEqual({ points: 200, durationMs: 24 * HOUR });
    expect(limits.checkoutOneInFlight).toBe(false);
    expect(limits.loginIp).toEqual({ points: 100, durationMs: 15 * MINUTE });
    expect(load({ RATE_LIMIT_GRAPHQL_IP: '3000/5m' }).rateLimits!.graphqlRequestsIp).toEqual({ points: 3_000, durationMs: 5 * MINUTE });
    expect(load({ RATE_LIMIT_GRAPHQL_IP: 'off' }).rateLimits!.graphqlRequestsIp).toBeNull();
  });

  it.each([
    ['RATE_LIMIT_LOGIN_IP', '100', 'RATE_LIMIT_LOGIN_IP must be a count per duration like 10/15m, or off (got "100")'],
    ['RATE_LIMIT_LOGIN_EMAIL_IP', '10 per 15m', 'RATE_LIMIT_LOGIN_EMAIL_IP must be a count per duration like 10/15m, or off (got "10 per 15m")'],
    ['RATE_LIMIT_LOGIN_IP', '100/15min', 'RATE_LIMIT_LOGIN_IP must be a duration like 200ms, 3s, 5m or 1h (got "15min")'],
    ['RATE_LIMIT_VOUCHER_FAILURES', '0/1h', 'RATE_LIMIT_VOUCHER_FAILURES must be between 1 and 1000000 (got 0)'],
    ['RATE_LIMIT_CHECKOUT_DECLINES', '10/0s', 'RATE_LIMIT_CHECKOUT_DECLINES must be longer than 0 (got "0s")'],
    ['RATE_LIMITS', 'maybe', 'RATE_LIMITS must be on or off (got "maybe")'],
    ['RATE_LIMIT_GRAPHQL_IP', '600 per minute', 'RATE_LIMIT_GRAPHQL_IP must be a count per duration like 10/15m, or off (got "600 per minute")'],
  ])('when %s is %p, then start-up stops with one clear line', (name, value, message) => {
    expect(() => load({ [name]: value })).toThrow(new ConfigError(message));
  });

  it('when RATE_LIMITS is off, then a malformed limit still stops start-up', () => {
    expect(() => load({ RATE_LIMITS: 'off', RATE_LIMIT_SIGNUP_IP: 'twenty' })).toThrow(ConfigError);
  });

  it.each([
    ['2', 2],
    ['0', false],
    ['off', false],
    ['loopback', ['loopback']],
    [' 10.0.0.0/8, 192.168.1.10 ,fd00::/8 ', ['10.0.0.0/8', '192.168.1.10', 'fd00::/8']],
  ])('when TRUST_PROXY is %p, then express is told %p', (raw, expected) => {
    expect(load({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'all', '10.0.0.0/33', '300.1.1.1', '10.0.0.0/8/1', 'fd00::/129'])('when TRUST_PROXY is %p, then start-up stops', (raw) => {
    expect(() => load({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses or CIDR ranges/);
  });
});
