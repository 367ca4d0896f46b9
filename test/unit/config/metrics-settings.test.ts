import { ConfigError, loadConfig } from '../../../src/config';

/** The one line loadConfig refuses this environment with. */
function refusal(env: Record<string, string>): string {
  const attempt = () => loadConfig(env);
  expect(attempt).toThrow(ConfigError);
  try {
    attempt();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('loadConfig: the /metrics settings (issue 9)', () => {
  it('when neither is set, then /metrics stays on the main port without a token', () => {
    expect(loadConfig({})).toMatchObject({ metricsToken: null, metricsPort: null });
  });

  it('when METRICS_TOKEN and METRICS_PORT are valid, then they are kept', () => {
    expect(loadConfig({ METRICS_TOKEN: ' abcdefghijklmnop0123 ', METRICS_PORT: '9464' })).toMatchObject({
      metricsToken: 'abcdefghijklmnop0123',
      metricsPort: 9464,
    });
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('when METRICS_TOKEN is short or not a bearer token, then one clear line that does not repeat it', () => {
    expect(refusal({ METRICS_TOKEN: 'short' })).toBe('METRICS_TOKEN must be at least 16 characters of letters, digits and - . _ ~ + / (got 5 characters)');
    const withSpace = refusal({ METRICS_TOKEN: 'has a space inside of it' });
    expect(withSpace).toMatch(/^METRICS_TOKEN must be/);
    expect(withSpace).not.toContain('space inside');
  });

  it('when METRICS_PORT is not a port or is PORT itself, then one clear line', () => {
    expect(refusal({ METRICS_PORT: 'nine' })).toBe('METRICS_PORT must be a whole number (got "nine")');
    expect(refusal({ METRICS_PORT: '70000' })).toBe('METRICS_PORT must be between 0 and 65535 (got 70000)');
    expect(refusal({ PORT: '8080', METRICS_PORT: '8080' })).toBe('METRICS_PORT must differ from PORT (both 8080)');
  });
});
