import { randomUUID } from 'node:crypto';
import { httpRequest } from '../../support/http-request';
import { startTestApp, type TestApp } from '../../support/test-app';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** The graphql_operation_duration_seconds_count series (one per operation and result) in a /metrics text. */
const operationSeries = (text: string): string[] => text.split('\n').filter((line) => line.startsWith('graphql_operation_duration_seconds_count{'));

describe('/metrics (issue 9)', () => {
  describe('with no protection configured', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app.close());

    const scrape = async () => (await httpRequest(app, '/metrics')).body as string;

    it('when clients send operation names the server does not know, then no series is added for them: they count as other', async () => {
      await app.gql('query Me { me { id } }');
      const before = operationSeries(await scrape());
      const invented = Array.from({ length: 25 }, () => `Probe_${randomUUID().replace(/-/g, '')}`);
      for (const name of invented) await app.gql(`query ${name} { me { id } }`);

      const after = operationSeries(await scrape());
      expect(after.some((line) => invented.some((name) => line.includes(name)))).toBe(false);
      const added = after.filter((line) => !before.some((old) => old.split(' ')[0] === line.split(' ')[0]));
      expect(added.map((line) => line.split(' ')[0])).toEqual(
        added.length ? ['graphql_operation_duration_seconds_count{operation="other",result="null"}'] : [],
      );
      expect(after).toContainEqual(
        expect.stringMatching(/^graphql_operation_duration_seconds_count\{operation="other",result="null"\} (2[5-9]|[3-9]\d|\d{3,})$/),
      );
      // Nor in any other series: the histogram's buckets and sums carry the same labels.
      const text = await scrape();
      expect(invented.some((name) => text.includes(name))).toBe(false);
    });

    it('when an operation of the safelist or an anonymous one runs, then its own label is kept', async () => {
      await app.gql('query Me { me { id } }');
      await app.gql('{ me { id } }');
      const series = operationSeries(await scrape());
      expect(series).toContainEqual(expect.stringMatching(/^graphql_operation_duration_seconds_count\{operation="Me",result="null"\} [1-9]/));
      expect(series).toContainEqual(expect.stringMatching(/^graphql_operation_duration_seconds_count\{operation="anonymous",result="null"\} [1-9]/));
    });
  });

  describe('with METRICS_TOKEN', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ METRICS_TOKEN });
    });
    afterAll(() => app.close());

    it('when /metrics is read without the token or with another, then 401 and no counters; with it, the counters', async () => {
      const anonymous = await httpRequest(app, '/metrics');
      expect(anonymous.status).toBe(401);
      expect(String(anonymous.body)).not.toContain('http_request_duration_seconds');
      const wrong = await httpRequest(app, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
      expect(wrong.status).toBe(401);
      const basic = await httpRequest(app, '/metrics', { headers: { authorization: `Basic ${Buffer.from(`u:${METRICS_TOKEN}`).toString('base64')}` } });
      expect(basic.status).toBe(401);

      const allowed = await httpRequest(app, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/metrics",status="401"\} [1-9]/m);
    });
  });

  describe('with METRICS_PORT', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ METRICS_PORT: '0', METRICS_TOKEN });
    });
    afterAll(() => app.close());

    it('when /metrics is asked of the public port, then 404; its own port serves it, the token still asked', async () => {
      expect((await httpRequest(app, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
      const metricsUrl = app.tillgate.metricsUrl!;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(new URL(metricsUrl).port).not.toBe(new URL(app.url).port);
      expect((await fetch(metricsUrl)).status).toBe(401);
      const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^http_request_duration_seconds_count\{method="GET",route="other",status="404"\} [1-9]/m);
    });
  });
});
