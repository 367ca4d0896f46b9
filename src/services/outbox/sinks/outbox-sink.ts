/** What a sink receives: the stored event, with its id as the dedup key for consumers. */
export interface OutboxMessage {
  id: string;
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Where the relay publishes. A publish that resolves counts as delivered; one
 * that rejects is retried later with the same event id, so consumers must
 * dedup by `id` (delivery is at least once).
 */
export interface OutboxSink {
  publish(event: OutboxMessage): Promise<void>;
}
