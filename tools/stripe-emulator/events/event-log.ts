import { newId, nowSeconds } from '../ids';
import { snapshot } from '../objects';

/** The request that caused a change, as Stripe reports it on events. */
export interface ExecutionContext {
  requestId: string | null;
  idempotencyKey: string | null;
}

export const BUYER_ACTION: ExecutionContext = { requestId: null, idempotencyKey: null };

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface EventLogOptions {
  apiVersion: string;
  /** Whether an endpoint is configured, for `pending_webhooks`. */
  hasEndpoint: () => boolean;
  onEvent: (event: StripeEvent) => void;
}

/** Ordered record of every event; each carries a snapshot of its object at that moment. */
export class EventLog {
  readonly events: StripeEvent[] = [];

  constructor(private readonly options: EventLogOptions) {}

  emit(type: string, object: object, ctx: ExecutionContext, previousAttributes?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.options.apiVersion,
      created: nowSeconds(),
      data: previousAttributes ? { object: snapshot(object), previous_attributes: previousAttributes } : { object: snapshot(object) },
      livemode: false,
      pending_webhooks: this.options.hasEndpoint() ? 1 : 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.events.push(event);
    this.options.onEvent(event);
    return event;
  }

  find(eventId: string): StripeEvent | undefined {
    return this.events.find((event) => event.id === eventId);
  }

  clear(): void {
    this.events.length = 0;
  }
}
