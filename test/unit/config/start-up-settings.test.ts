import { ConfigError, loadConfig, NODE_ENV_FILLED_IN, requireGuardedMetrics } from '../../../src/config';

const POSTGRES = { DATABASE_URL: 'postgres://tillgate@localhost:5432/tillgate', AUTH_SECRET: 'x'.repeat(32) };
const PRODUCTION = { NODE_ENV: 'production' };

/** The one line this environment is refused with, by loadConfig or by the gateway's metrics check. */
function refusal(env: Record<string, string>): string {
  try {
    requireGuardedMetrics(loadConfig(env));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadConfig: production starts and where they listen (issue 20)', () => {
  it("when NODE_ENV=production is the operator's, then the production rules apply; filled in by production-mode.ts, or any other NODE_ENV, they do not", () => {
    expect(loadConfig(PRODUCTION).production).toBe(true);
    expect(loadConfig({ NODE_ENV: ' production ' }).production).toBe(true);
    expect(loadConfig({ ...PRODUCTION, [NODE_ENV_FILLED_IN]: '1' }).production).toBe(false);
    expect(['development', 'test', ''].map((value) => loadConfig({ NODE_ENV: value }).production)).toEqual([false, false, false]);
    expect(loadConfig({}).production).toBe(false);
  });

  it('when NODE_ENV=production, then demo data is off on both dialects unless DEMO_DATA=on is given', () => {
    expect(loadConfig(PRODUCTION).demoData).toBe(false);
    expect(loadConfig({ ...PRODUCTION, ...POSTGRES }).demoData).toBe(false);
    expect(loadConfig({ ...PRODUCTION, DEMO_DATA: 'on' }).demoData).toBe(true);
    expect(loadConfig({ ...PRODUCTION, ...POSTGRES, DEMO_DATA: 'on' }).demoData).toBe(true);
    // Development on the embedded file keeps its demo catalog.
    expect(loadConfig({}).demoData).toBe(true);
  });

  it('when HOST is unset, then 127.0.0.1 in development and 0.0.0.0 in production; set, it is kept', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ ...PRODUCTION, [NODE_ENV_FILLED_IN]: '1' }).host).toBe('127.0.0.1');
    expect(loadConfig(PRODUCTION).host).toBe('0.0.0.0');
    expect(['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'gateway.internal'].map((HOST) => loadConfig({ HOST }).host)).toEqual([
      '0.0.0.0',
      '::',
      '::1',
      '10.1.2.3',
      'localhost',
      'gateway.internal',
    ]);
    expect(loadConfig({ ...PRODUCTION, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('when HOST is neither an address nor a host name, then one clear line', () => {
    expect(refusal({ HOST: 'http://0.0.0.0' })).toBe('HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, or a host name (got "http://0.0.0.0")');
    expect(refusal({ HOST: '0.0.0.0:4000' })).toMatch(/^HOST must be an IP address/);
    expect(refusal({ HOST: 'two hosts' })).toMatch(/^HOST must be an IP address/);
  });

  it('when NODE_ENV=production has neither METRICS_TOKEN nor METRICS_PORT, then the gateway refuses to start with one line; either one is enough', () => {
    expect(refusal(PRODUCTION)).toBe('NODE_ENV=production needs METRICS_TOKEN or METRICS_PORT: /metrics would be open to anyone who reaches PORT');
    expect(refusal({ ...PRODUCTION, ...POSTGRES })).toMatch(/^NODE_ENV=production needs METRICS_TOKEN or METRICS_PORT/);
    expect(() => requireGuardedMetrics(loadConfig({ ...PRODUCTION, METRICS_TOKEN: 'scrape-token-0123456789' }))).not.toThrow();
    expect(() => requireGuardedMetrics(loadConfig({ ...PRODUCTION, METRICS_PORT: '9464' }))).not.toThrow();
    // Development keeps /metrics open on PORT, which there listens on loopback.
    expect(() => requireGuardedMetrics(loadConfig({}))).not.toThrow();
  });
});
