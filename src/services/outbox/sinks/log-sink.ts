import { logger } from '../../shared/logger';
import type { OutboxMessage, OutboxSink } from './outbox-sink';

/**
 * The default sink: one structured log line per event, for setups without a broker.
 * Published payloads name guest carts, whose ids are access keys: the logger's one
 * redaction list (shared/redaction.ts) hides them, and the aggregate id when it is
 * the same cart, as it hides every other secret.
 */
export class LogSink implements OutboxSink {
  async publish(event: OutboxMessage): Promise<void> {
    logger.info('outbox.event', {
      eventId: event.id,
      type: event.type,
      aggregateId: event.aggregateId,
      createdAt: event.createdAt.toISOString(),
      payload: event.payload,
    });
  }
}
