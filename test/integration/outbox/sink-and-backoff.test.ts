import { loadConfig } from '../../../src/config';
import { OUTBOX_BACKOFF } from '../../../src/services/outbox/outbox-relay';
import { retryDelayMs } from '../../../src/services/shared/backoff';
import { HttpSink, LogSink, configuredOutboxSink, type OutboxMessage } from '../../../src/services/outbox/sinks';
import { composeAppDeps } from '../../../src/composition-root';
import { TokenService } from '../../../src/services/auth/tokens';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { openTestOrm } from '../../support/test-database';
import { EventReceiver } from './support/event-receiver';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe('outbox retry backoff', () => {
  it('when attempts grow, then the delay doubles between half and all of the nominal value', () => {
    expect(retryDelayMs(1, OUTBOX_BACKOFF, () => 0)).toBe(500);
    expect(retryDelayMs(1, OUTBOX_BACKOFF, () => 0.999_999)).toBe(999);
    expect(retryDelayMs(2, OUTBOX_BACKOFF, () => 0)).toBe(1_000);
    expect(retryDelayMs(5, OUTBOX_BACKOFF, () => 0)).toBe(8_000);
    expect(retryDelayMs(5, OUTBOX_BACKOFF, () => 0.5)).toBe(12_000);
  });

  it('when an event keeps failing, then the delay never exceeds ten minutes', () => {
    for (const attempts of [11, 20, 60, 1_000]) {
      expect(retryDelayMs(attempts, OUTBOX_BACKOFF, () => 0.999_999)).toBeLessThanOrEqual(10 * MINUTE);
      expect(retryDelayMs(attempts, OUTBOX_BACKOFF, () => 0)).toBe(5 * MINUTE);
    }
  });
});

describe('outbox sink selection', () => {
  const config = (env: Record<string, string> = {}) => loadConfig({ WORKERS: 'off', ...env });

  it('when nothing is configured, then events go to the log sink', () => {
    expect(configuredOutboxSink(config())).toBeInstanceOf(LogSink);
  });

  it('when OUTBOX_HTTP_SINK_URLS is set, then the HTTP sink posts to every URL', async () => {
    const first = await new EventReceiver().start();
    const second = await new EventReceiver().start();
    try {
      const sink = configuredOutboxSink(config({ OUTBOX_HTTP_SINK_URLS: `${first.url},${second.url}` }));
      const event: OutboxMessage = {
        id: '6f1c1f7e-4c7a-4c39-9d43-0d5f1e2b3a4c',
        type: 'order.placed',
        aggregateId: 'o-1',
        payload: { a: 1 },
        createdAt: new Date(),
      };
      expect(sink).toBeInstanceOf(HttpSink);
      await sink.publish(event);
      expect(first.received.map((r) => r.eventId)).toEqual([event.id]);
      expect(second.received.map((r) => r.eventId)).toEqual([event.id]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('when one URL refuses, then the publish fails so the event is retried', async () => {
    const receiver = await new EventReceiver().start();
    try {
      receiver.answerNext(400);
      const sink = new HttpSink([receiver.url]);
      await expect(sink.publish({ id: 'e-1', type: 't', aggregateId: 'a', payload: {}, createdAt: new Date() })).rejects.toThrow('answered 400');
    } finally {
      await receiver.close();
    }
  });

  it('when a sink is passed to the composition root, then it wins over configuration', async () => {
    const injected = { publish: async () => undefined };
    const orm = await openTestOrm();
    try {
      const tokens = new TokenService(TEST_AUTH_SECRET);
      expect(composeAppDeps(config({ OUTBOX_HTTP_SINK_URLS: 'http://127.0.0.1:9/x' }), orm, tokens, { outbox: injected }).outbox).toBe(injected);
      expect(composeAppDeps(config({ OUTBOX_HTTP_SINK_URLS: 'http://127.0.0.1:9/x' }), orm, tokens).outbox).toBeInstanceOf(HttpSink);
    } finally {
      await orm.close(true);
    }
  });
});
