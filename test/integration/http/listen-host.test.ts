import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config';
import { startWorkerEndpoints } from '../../../src/http/worker-endpoints';
import { nonLoopbackAddress, tcpConnect } from '../../support/network';
import { startTestApp } from '../../support/test-app';

/** The gateway, its METRICS_PORT listener and the worker's endpoints, all started with this HOST. */
async function listenersOn(host: string) {
  const app = await startTestApp({ HOST: host, METRICS_PORT: '0' });
  const worker = await startWorkerEndpoints(loadConfig({ HOST: host, WORKER_PORT: '0' }), app.tillgate.deps.db);
  const metricsPort = Number(new URL(app.tillgate.metricsUrl!).port);
  return {
    bound: [app.tillgate.address, worker.address] as AddressInfo[],
    ports: [app.tillgate.address.port, metricsPort, worker.address.port],
    close: async () => {
      await worker.close();
      await app.close();
    },
  };
}

describe('HOST: the address every listener binds (issue 20)', () => {
  // Another address of this machine, to connect to as a neighbour would (traffic to this machine only).
  const external = nonLoopbackAddress();

  it("when HOST is 127.0.0.1, then the gateway, METRICS_PORT and the worker listen on loopback alone: this machine's other address is refused", async () => {
    const listeners = await listenersOn('127.0.0.1');
    try {
      expect(listeners.bound.map((address) => address.address)).toEqual(['127.0.0.1', '127.0.0.1']);
      for (const port of listeners.ports) expect(await tcpConnect('127.0.0.1', port)).toBe('accepted');
      if (external) {
        for (const port of listeners.ports) expect(await tcpConnect(external, port)).toBe('refused');
      }
    } finally {
      await listeners.close();
    }
  });

  it('when HOST is 0.0.0.0, then every interface is bound, and the same other address is accepted', async () => {
    const listeners = await listenersOn('0.0.0.0');
    try {
      expect(listeners.bound.map((address) => address.address)).toEqual(['0.0.0.0', '0.0.0.0']);
      if (external) {
        for (const port of listeners.ports) expect(await tcpConnect(external, port)).toBe('accepted');
      }
    } finally {
      await listeners.close();
    }
  });

  it('when HOST is unset outside production, then the gateway binds loopback only', async () => {
    const app = await startTestApp();
    try {
      expect(app.tillgate.address.address).toBe('127.0.0.1');
      expect(app.url).toBe(`http://127.0.0.1:${app.tillgate.address.port}`);
    } finally {
      await app.close();
    }
  });
});
