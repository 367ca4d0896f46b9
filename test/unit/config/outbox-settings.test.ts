import { ConfigError, loadConfig } from '../../../src/config';

describe('OUTBOX_MAX_ATTEMPTS', () => {
  it('when it is not set, then an event becomes a dead letter after 10 failed deliveries', () => {
    expect(loadConfig({}).outboxMaxAttempts).toBe(10);
  });

  it('when it is a whole number from 1 to 1000, then it is kept; anything else is refused with what it must be', () => {
    expect(loadConfig({ OUTBOX_MAX_ATTEMPTS: '3' }).outboxMaxAttempts).toBe(3);
    expect(() => loadConfig({ OUTBOX_MAX_ATTEMPTS: '0' })).toThrow(new ConfigError('OUTBOX_MAX_ATTEMPTS must be between 1 and 1000 (got 0)'));
    expect(() => loadConfig({ OUTBOX_MAX_ATTEMPTS: 'never' })).toThrow(ConfigError);
  });
});
