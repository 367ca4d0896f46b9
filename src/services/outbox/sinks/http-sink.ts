import type { OutboxMessage, OutboxSink } from './outbox-sink';

export const DEFAULT_HTTP_SINK_TIMEOUT_MS = 5_000;

export class HttpSinkError extends Error {
  override name = 'HttpSinkError';
}

/**
 * POSTs each event as JSON to every configured URL. Any non-2xx answer, network
 * error or timeout fails the whole publish, so the event is retried later for
 * every URL; receivers dedup on the `X-Tillgate-Event-Id` header (or body `id`).
 */
export class HttpSink implements OutboxSink {
  constructor(
    private readonly urls: readonly string[],
    private readonly timeoutMs: number = DEFAULT_HTTP_SINK_TIMEOUT_MS,
  ) {
    if (urls.length === 0) throw new Error('HttpSink needs at least one URL');
  }

  async publish(event: OutboxMessage): Promise<void> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      aggregateId: event.aggregateId,
      payload: event.payload,
      createdAt: event.createdAt.toISOString(),
    });
    for (const url of this.urls) await this.post(url, event, body);
  }

  private async post(url: string, event: OutboxMessage, body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tillgate-event-id': event.id, 'x-tillgate-event-type': event.type },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError (not an Error subclass).
      const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
      const reason = timedOut ? `timed out after ${this.timeoutMs}ms` : String(error);
      throw new HttpSinkError(`POST ${url} failed: ${reason}`);
    }
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new HttpSinkError(`POST ${url} answered ${response.status}`);
  }
}
