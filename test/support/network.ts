import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * An address of this machine that is not loopback (the first non-internal
 * one, link-local IPv6 left out: it needs a scope), or null when it has none.
 * Connecting to it is traffic to this machine only.
 */
export function nonLoopbackAddress(): string | null {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.find((entry) => !entry.internal && !entry.address.startsWith('fe80:'))?.address ?? null;
}

/** Whether a TCP connection to host:port is accepted or refused (a silent drop counts as refused after `timeoutMs`). */
export function tcpConnect(host: string, port: number, timeoutMs = 2_000): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const settle = (outcome: 'accepted' | 'refused') => {
      socket.destroy();
      resolve(outcome);
    };
    socket.once('connect', () => settle('accepted'));
    socket.once('error', () => settle('refused'));
    socket.once('timeout', () => settle('refused'));
  });
}
