import type { AppDeps } from '../../app-deps';
import { HttpSink } from './http-sink';
import { LogSink } from './log-sink';
import { isOutboxSink, type OutboxSink } from './outbox-sink';

export type { OutboxMessage, OutboxSink } from './outbox-sink';
export { HttpSink, HttpSinkError } from './http-sink';
export { LogSink } from './log-sink';

/** An injected sink (deps.extensions.outboxSink) wins; then OUTBOX_HTTP_SINK_URLS; else the log. */
export function resolveOutboxSink(deps: Pick<AppDeps, 'config' | 'extensions'>): OutboxSink {
  const injected = deps.extensions.outboxSink;
  if (injected !== undefined) {
    if (!isOutboxSink(injected)) throw new Error('extensions.outboxSink must have a publish(event) method');
    return injected;
  }
  if (deps.config.outboxHttpSinkUrls.length > 0) return new HttpSink(deps.config.outboxHttpSinkUrls);
  return new LogSink();
}
