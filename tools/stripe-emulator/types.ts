import type { WebhookDelivery, WebhookDeliveryMode } from './events/webhooks';
import type { StripeEvent } from './events/event-log';
import type { FaultInjector } from './faults';
import type { CreatedObjectType, OffSessionFailure } from './state';

export interface StripeEmulatorOptions {
  /** 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one secret key accepted; default: any key starting `sk_test_`. */
  apiKey?: string;
  webhookUrl?: string;
  /** `whsec_...`; default: a random one, readable as `emulator.webhookSecret`. */
  webhookSecret?: string;
  /** `api_version` stamped on events. */
  apiVersion?: string;
}

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  idempotencyKey: string | null;
  /** True when the stored result of an earlier request with this key was replayed. */
  replayed: boolean;
  /** Status sent; 0 while unanswered or when the socket was dropped. */
  status: number;
  at: number;
}

export interface StripeEmulator {
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  close(): Promise<void>;
  faults: FaultInjector;
  requests: RequestLogEntry[];
  /** Effective creates of a type (not replays, and not by a request that answered an error), current state, in creation order. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON snapshots of several Stripe object types; callers give each the SDK's type
  createdObjects(type: CreatedObjectType): any[];
  events: StripeEvent[];

  completeCheckoutSession(id: string, opts?: { paymentMethod?: string }): Promise<void>;
  expireCheckoutSession(id: string): Promise<void>;
  completeAuthentication(paymentIntentId: string, succeed: boolean): Promise<void>;
  /** Makes the next refund come back `pending` until settleRefund(). */
  holdNextRefund(): void;
  settleRefund(id: string, outcome: 'succeeded' | 'failed'): Promise<void>;
  /**
   * Makes the customer's next off-session charge fail, whatever its card:
   * `card_declined` (402, PaymentIntent requires_payment_method) or
   * `authentication_required` (402, PaymentIntent requires_action). Throws for an unknown customer.
   */
  failNextOffSessionCharge(customerId: string, failure: OffSessionFailure): void;

  webhookSecret: string;
  deliveries: WebhookDelivery[];
  deliverEvent(eventId: string): Promise<number>;
  setWebhookDelivery(mode: WebhookDeliveryMode): void;
  /** Point deliveries somewhere else (the app under test usually starts after the emulator). */
  setWebhookUrl(url: string | undefined): void;
  /** Resolves when every automatic delivery queued so far has been answered. */
  drainWebhooks(): Promise<void>;
  signPayload(payload: string, timestamp?: number): string;
  reset(): void;
}

export type { CreatedObjectType, OffSessionFailure, StripeEvent, WebhookDelivery, WebhookDeliveryMode };
