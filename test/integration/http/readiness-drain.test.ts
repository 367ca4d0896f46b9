import { startTestApp } from '../../support/test-app';

/** Shutdown (SIGTERM in main.ts calls close()): readiness fails first, so load balancers stop sending before the drain ends. */
describe('readiness while draining', () => {
  it('when shutdown begins, then /readyz answers 503 at once while /healthz and GraphQL still answer, until the drain closes the server', async () => {
    const app = await startTestApp({ SHUTDOWN_DELAY: '1500ms' });
    try {
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      let drained = false;
      const closing = app.tillgate.close().then(() => (drained = true));

      const readiness = await fetch(`${app.url}/readyz`);
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toEqual({ status: 'draining' });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      expect((await app.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
      expect(drained).toBe(false);

      await closing;
      await expect(fetch(`${app.url}/readyz`)).rejects.toThrow();
    } finally {
      await app.orm.close(true);
    }
  });
});
