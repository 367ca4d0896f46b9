import { startTestApp, type TestApp } from '../../support/test-app';

const STOREFRONT = 'https://shop.example.com';
const STRANGER = 'https://evil.example.net';

/** What a browser sends before a cross-origin JSON POST with a token and Apollo's CSRF header. */
function preflight(app: TestApp, origin: string): Promise<Response> {
  return fetch(`${app.url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, x-api-key, apollo-require-preflight, x-apollo-operation-name',
    },
  });
}

/** The request the browser sends once the preflight allowed it. */
function browserPost(app: TestApp, origin: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', 'x-apollo-operation-name': 'Me', ...headers },
    body: JSON.stringify({ query: 'query Me { me { email } }' }),
  });
}

const corsHeaders = (response: Response): string[] => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('CORS for a storefront on another origin (ALLOWED_ORIGINS)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ALLOWED_ORIGINS: `${STOREFRONT}, https://partner.example.org` });
  });
  afterAll(() => app.close());

  it("when an allowed origin preflights a POST, then it may send Authorization, Content-Type, X-Api-Key and Apollo's headers", async () => {
    const response = await preflight(app, STOREFRONT);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowedHeaders = response.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowedHeaders).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name']),
    );
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('when the allowed origin then POSTs with a token, then it gets the answer with its CORS header', async () => {
    const customer = await app.customer();

    const response = await browserPost(app, STOREFRONT, { authorization: `Bearer ${customer.token}` });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
    expect(await response.json()).toEqual({ data: { me: { email: customer.email } } });
  });

  it('when another origin preflights or POSTs, then no CORS header comes back, so the browser sends nothing and shows nothing', async () => {
    const refusedPreflight = await preflight(app, STRANGER);
    expect(refusedPreflight.status).toBe(204);
    expect(corsHeaders(refusedPreflight)).toEqual([]);

    const post = await browserPost(app, STRANGER);
    expect(corsHeaders(post)).toEqual([]);
  });

  it("when an allowed origin sends a simple (unpreflighted) POST, then Apollo's CSRF prevention still refuses it", async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { origin: STOREFRONT, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { createCart(input: { currency: "EUR" }) { id } }' }),
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0].message).toContain('Cross-Site Request Forgery');
  });
});

describe('CORS with nothing configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('when a local development page on any port preflights, then it is allowed, and any other origin is not', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://localhost']) {
      expect((await preflight(app, origin)).headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of [STOREFRONT, 'https://localhost:5173', 'http://localhost.evil.example.net:5173', 'null']) {
      expect(corsHeaders(await preflight(app, origin))).toEqual([]);
    }
  });
});
