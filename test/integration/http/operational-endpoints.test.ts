import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * The self-hosted playground must work with no internet: the page and every
 * script and stylesheet it loads come from this server, never a CDN.
 */
describe('playground and operational endpoints', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('when the playground page loads, then every asset it references is served locally with the right type', async () => {
    const page = await fetch(`${app.url}/playground`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    expect(assets.every((asset) => asset.startsWith('/playground/assets/'))).toBe(true);
    for (const asset of assets) {
      const response = await fetch(`${app.url}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('when an unknown playground asset is asked for, then 404 and no file outside the list is read', async () => {
    expect((await fetch(`${app.url}/playground/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/playground/assets/secrets.js`)).status).toBe(404);
  });

  it('when health, readiness and metrics are read, then they answer with the database and counters', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${app.url}/readyz`)).json()).toEqual({ status: 'ready', database: app.config.database.dialect });
    // Me is one of the client package's operations (its manifest), so it is labelled by name.
    await app.gql('query Me { me { id } }');
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^graphql_operation_duration_seconds_count\{operation="Me",result="null"\} [1-9]/m);
    expect(metrics).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} [1-9]/m);
    // Node's own process metrics come with them.
    expect(metrics).toMatch(/^process_cpu_seconds_total \d/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('when any GraphQL answer is sent, then it tells caches not to store it', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
