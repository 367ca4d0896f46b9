import type { TestApp } from '../../support/test-app';
import { CREATE_CART, forgetCounts, freshAddress, startLimitedApp } from './rate-limit-harness';

/**
 * Whose address a request counts under. The test's requests come from
 * 127.0.0.1; one cart per hour per address makes the second request tell
 * whether two requests were counted as one client or two.
 */
describe('TRUST_PROXY: when X-Forwarded-For is believed', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function startWith(trustProxy: string | null): Promise<TestApp> {
    app = await startLimitedApp({ RATE_LIMIT_CARTS_IP: '1/1h', TRUST_PROXY: trustProxy ?? '' });
    await forgetCounts(app);
    return app;
  }
  /** The status of a createCart sent with this X-Forwarded-For header. */
  async function cartStatus(forwardedFor: string): Promise<number> {
    const response = await fetch(`${app!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: CREATE_CART, variables: { input: { currency: 'EUR' } } }),
    });
    return response.status;
  }

  it('when TRUST_PROXY is not set, then X-Forwarded-For is ignored: two claimed addresses are one client', async () => {
    await startWith(null);
    expect(await cartStatus(freshAddress())).toBe(200);
    expect(await cartStatus(freshAddress())).toBe(429);
  });

  it('when TRUST_PROXY names loopback, then the address the local proxy saw is the client, and a client cannot pick its own by prepending', async () => {
    await startWith('loopback');
    const client = freshAddress();
    expect(await cartStatus(client)).toBe(200);
    expect(await cartStatus(freshAddress())).toBe(200);
    // The proxy appends what it saw; whatever the client wrote before it is not believed.
    expect(await cartStatus(`${freshAddress()}, ${client}`)).toBe(429);
  });

  it('when TRUST_PROXY is a hop count, then the client is that many hops from the right', async () => {
    await startWith('2');
    const client = freshAddress();
    const edge = freshAddress();
    expect(await cartStatus(`${freshAddress()}, ${client}, ${edge}`)).toBe(200);
    expect(await cartStatus(`${freshAddress()}, ${client}, ${edge}`)).toBe(429);
    expect(await cartStatus(`${client}, ${freshAddress()}, ${edge}`)).toBe(200);
  });

  it('when TRUST_PROXY names ranges the peer is not in, then X-Forwarded-For is ignored', async () => {
    await startWith('10.0.0.0/8, 192.168.0.0/16');
    expect(await cartStatus(freshAddress())).toBe(200);
    expect(await cartStatus(freshAddress())).toBe(429);
  });
});
