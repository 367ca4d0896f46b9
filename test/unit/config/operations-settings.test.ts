import { ConfigError, loadConfig } from '../../../src/config';

const POSTGRES = { DATABASE_URL: 'postgres://tillgate@localhost:5432/tillgate', AUTH_SECRET: 'x'.repeat(32) };

describe('loadConfig: running it for real (migrations, worker port, gauges, shutdown)', () => {
  it('when nothing is set, then the embedded default migrates on start, the worker listens on 4001, gauges refresh every 15s and shutdown does not wait', () => {
    expect(loadConfig({})).toMatchObject({ migrateOnStart: true, workerPort: 4001, metricsRefreshIntervalMs: 15_000, shutdownDelayMs: 0 });
  });

  it('when DATABASE_URL is set, then npm start does not migrate unless MIGRATE_ON_START says so', () => {
    expect(loadConfig(POSTGRES).migrateOnStart).toBe(false);
    expect(loadConfig({ ...POSTGRES, MIGRATE_ON_START: 'on' }).migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'off' }).migrateOnStart).toBe(false);
  });

  it('when the settings are given, then they are kept; nonsense stops start-up with one line', () => {
    expect(loadConfig({ WORKER_PORT: '0', METRICS_REFRESH_INTERVAL: '1m', SHUTDOWN_DELAY: '5s' })).toMatchObject({
      workerPort: 0,
      metricsRefreshIntervalMs: 60_000,
      shutdownDelayMs: 5_000,
    });
    expect(() => loadConfig({ METRICS_REFRESH_INTERVAL: '0s' })).toThrow(new ConfigError('METRICS_REFRESH_INTERVAL must be longer than 0 (got "0s")'));
    expect(() => loadConfig({ WORKER_PORT: '70000' })).toThrow(new ConfigError('WORKER_PORT must be between 0 and 65535 (got 70000)'));
    expect(() => loadConfig({ MIGRATE_ON_START: 'maybe' })).toThrow(new ConfigError('MIGRATE_ON_START must be on or off (got "maybe")'));
    expect(() => loadConfig({ SHUTDOWN_DELAY: '5' })).toThrow(ConfigError);
  });
});
