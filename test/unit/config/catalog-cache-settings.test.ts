import { ConfigError, loadConfig } from '../../../src/config';

describe('loadConfig: CATALOG_MAX_AGE', () => {
  it('when it is not set, then an anonymous catalog answer may be kept for 5 seconds', () => {
    expect(loadConfig({}).catalogMaxAgeSeconds).toBe(5);
  });

  it('when it is whole seconds from 0s to 1h, then it is kept in seconds (0 = never public)', () => {
    expect(loadConfig({ CATALOG_MAX_AGE: '0s' }).catalogMaxAgeSeconds).toBe(0);
    expect(loadConfig({ CATALOG_MAX_AGE: '1s' }).catalogMaxAgeSeconds).toBe(1);
    expect(loadConfig({ CATALOG_MAX_AGE: '2m' }).catalogMaxAgeSeconds).toBe(120);
    expect(loadConfig({ CATALOG_MAX_AGE: '1h' }).catalogMaxAgeSeconds).toBe(3_600);
    expect(loadConfig({ CATALOG_MAX_AGE: '3000ms' }).catalogMaxAgeSeconds).toBe(3);
  });

  it('when it is a fraction of a second, longer than 1h or not a duration, then start-up stops with one line', () => {
    const refusal = (raw: string) => new ConfigError(`CATALOG_MAX_AGE must be whole seconds from 0s to 1h (got "${raw}")`);
    expect(() => loadConfig({ CATALOG_MAX_AGE: '1500ms' })).toThrow(refusal('1500ms'));
    expect(() => loadConfig({ CATALOG_MAX_AGE: '61m' })).toThrow(refusal('61m'));
    expect(() => loadConfig({ CATALOG_MAX_AGE: '5' })).toThrow(new ConfigError('CATALOG_MAX_AGE must be a duration like 200ms, 3s, 5m or 1h (got "5")'));
  });
});
