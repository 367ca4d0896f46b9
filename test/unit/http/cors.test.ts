import { loadConfig } from '../../../src/config';
import { originMatcher } from '../../../src/http/cors';

describe('ALLOWED_ORIGINS', () => {
  it('when nothing is configured, then only local development pages on any port match', () => {
    const allowed = originMatcher(loadConfig({}).allowedOrigins);
    expect(['http://localhost:5173', 'http://localhost', 'http://127.0.0.1:8080'].filter(allowed)).toHaveLength(3);
    expect(
      ['https://localhost:5173', 'http://localhost.evil.example:80', 'http://127.0.0.1.nip.io:3000', 'null', 'http://localhost:5173/path'].filter(allowed),
    ).toEqual([]);
  });

  it('when origins are configured, then they replace the local defaults and match exactly', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://shop.example.com/, https://dev.example.com:*' });
    expect(config.allowedOrigins).toEqual(['https://shop.example.com', 'https://dev.example.com:*']);
    const allowed = originMatcher(config.allowedOrigins);
    expect(['https://shop.example.com', 'https://dev.example.com:8443'].filter(allowed)).toHaveLength(2);
    expect(['http://shop.example.com', 'https://shop.example.com:8443', 'http://localhost:5173'].filter(allowed)).toEqual([]);
  });

  it('when an entry is not an origin, then start-up stops with the setting named', () => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://shop.example.com/checkout' })).toThrow(/^ALLOWED_ORIGINS takes origins like/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'shop.example.com' })).toThrow(/^ALLOWED_ORIGINS must be an absolute http\(s\) URL/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'http://localhost:3000:*' })).toThrow(/without a port before :\*/);
  });
});
