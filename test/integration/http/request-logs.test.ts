import { captureLogLines } from '../../support/log-capture';
import { startTestApp, type TestApp } from '../../support/test-app';
import { buildReadyCart } from '../../factories/checkout.factory';
import { confirmViaApi } from '../../factories/checkout.factory';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One JSON line per request, from the real pino logger, with a request id echoed to the client. */
describe('request logs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const requestLines = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === 'http.request');

  it('when a request names a well-formed X-Request-Id, then it is echoed and the request is logged once under it, with method, path, status and duration', async () => {
    let response: Response | undefined;
    const lines = await captureLogLines(async () => {
      response = await fetch(`${app.url}/healthz?probe=1`, { headers: { 'x-request-id': 'lb-7f3a.42' } });
      await response.text();
    });
    expect(response!.headers.get('x-request-id')).toBe('lb-7f3a.42');
    const logged = requestLines(lines);
    expect(logged).toEqual([
      expect.objectContaining({ level: 'info', requestId: 'lb-7f3a.42', method: 'GET', path: '/healthz', status: 200, durationMs: expect.any(Number) }),
    ]);
    expect(typeof logged[0].time).toBe('string');
    // No field repeats in the raw line (a JSON parser would keep only the last).
    expect(lines.find((line) => line.includes('"http.request"'))!.match(/"requestId"/g)).toHaveLength(1);
  });

  it('when the X-Request-Id is missing or not a plain token, then a fresh id is generated, echoed and logged', async () => {
    const ids: string[] = [];
    const lines = await captureLogLines(async () => {
      const variants: Record<string, string>[] = [{}, { 'x-request-id': 'has spaces and "quotes"' }, { 'x-request-id': 'x'.repeat(200) }];
      for (const headers of variants) {
        const response = await fetch(`${app.url}/healthz`, { headers });
        ids.push(response.headers.get('x-request-id')!);
      }
    });
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(requestLines(lines).map((entry) => entry.requestId)).toEqual(ids);
  });

  it('when a payment link is opened (GET or HEAD, in any case), then the request line shows its path with the token redacted', async () => {
    const token = `pl_${'a1B2c3D4e5'.repeat(4)}`;
    const lines = await captureLogLines(async () => {
      for (const [method, path] of [
        ['GET', `/pay/${token}`],
        ['HEAD', `/pay/${token}`],
        ['GET', `/PAY/${token}?utm_source=mail`],
      ]) {
        const response = await fetch(`${app.url}${path}`, {
          method,
          redirect: 'manual',
          headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
        });
        await response.text();
      }
    });
    const logged = requestLines(lines);
    expect(logged.map((entry) => [entry.method, entry.path])).toEqual([
      ['GET', '/pay/[redacted]'],
      ['HEAD', '/pay/[redacted]'],
      ['GET', '/PAY/[redacted]'],
    ]);
    for (const text of lines) expect(text).not.toContain(token);
  });

  it('when a guest confirms a checkout, then the request line carries the order id and a cart reference, never the cart id (an access key) nor its headers', async () => {
    const ready = await buildReadyCart(app.orm.em.fork(), { lines: [{ price: 1_000, stock: 3, quantity: 1 }] });
    let answer: Awaited<ReturnType<typeof confirmViaApi>>;
    const lines = await captureLogLines(async () => {
      answer = await confirmViaApi(app, { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    });
    expect(answer.order.status).toBe('PLACED');
    const [line] = requestLines(lines);
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, orderId: answer.order.id, cartRef: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(line.sagaId).toEqual(expect.any(String));
    for (const text of lines) {
      expect(text).not.toContain(ready.cart.id);
      expect(text.toLowerCase()).not.toContain('content-type');
    }
  });
});
