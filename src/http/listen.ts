import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Every HTTP listener of the gateway and the worker binds HOST (config.ts): loopback in development, every interface in production. */
export function listenOn(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    // Node closes an idle keep-alive connection after 5 s; a load balancer (60 s idle is common) or a client pool that
    // reuses it just then gets a reset. Idle connections outlive the usual 60 s instead; headers still have to come in time.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  });
}

const KEEP_ALIVE_MS = 65_000;

export const boundAddress = (server: Server): AddressInfo => server.address() as AddressInfo;

/** A base URL this machine reaches the listener by: loopback for a wildcard bind, else the address it is bound to. */
export function localBaseUrl(server: Server): string {
  const { address, family, port } = boundAddress(server);
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
