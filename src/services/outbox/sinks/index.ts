import type { Config } from '../../../config';
import { HttpSink } from './http-sink';
import { LogSink } from './log-sink';
import type { OutboxSink } from './outbox-sink';

export type { OutboxMessage, OutboxSink } from './outbox-sink';
export { HttpSink, HttpSinkError } from './http-sink';
export { LogSink } from './log-sink';

/** The configured sink: OUTBOX_HTTP_SINK_URLS when set, else the log. */
export function configuredOutboxSink(config: Pick<Config, 'outboxHttpSinkUrls'>): OutboxSink {
  return config.outboxHttpSinkUrls.length > 0 ? new HttpSink(config.outboxHttpSinkUrls) : new LogSink();
}
