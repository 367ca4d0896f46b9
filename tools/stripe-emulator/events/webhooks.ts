import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { StripeEvent } from './event-log';

export type WebhookDeliveryMode = 'auto' | 'manual';

export interface WebhookDelivery {
  eventId: string;
  eventType: string;
  /** HTTP status the endpoint answered; 0 when it could not be reached. */
  status: number;
  at: number;
  error?: string;
}

const DELIVERY_TIMEOUT_MS = 10_000;

/** Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`. */
export function signPayload(secret: string, payload: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

/**
 * Posts events to one endpoint. Automatic deliveries go one at a time in event
 * order; real Stripe does not promise ordering, but a deterministic order keeps
 * tests reproducible. A failed delivery is recorded, not retried: tests
 * redeliver explicitly with deliver().
 */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(
    readonly secret: string,
    public url: string | undefined,
    public mode: WebhookDeliveryMode,
  ) {}

  hasEndpoint(): boolean {
    return this.url !== undefined;
  }

  onEvent(event: StripeEvent): void {
    if (this.mode !== 'auto' || !this.url) return;
    this.queue = this.queue.then(async () => {
      await this.deliver(event);
    });
  }

  /** Resolves once every automatic delivery queued so far has been answered. */
  drain(): Promise<void> {
    return this.queue;
  }

  async deliver(event: StripeEvent): Promise<number> {
    const url = this.url;
    if (!url) throw new Error('No webhook URL is configured on the Stripe emulator');
    const payload = JSON.stringify(event, null, 2);
    const header = signPayload(this.secret, payload, Math.floor(Date.now() / 1000));
    const delivery: WebhookDelivery = { eventId: event.id, eventType: event.type, status: 0, at: Date.now() };
    try {
      delivery.status = await this.post(url, payload, header);
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    this.deliveries.push(delivery);
    return delivery.status;
  }

  close(): void {
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
  }

  private post(url: string, payload: string, signature: string): Promise<number> {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise<number>((resolve, reject) => {
      const request = transport.request(
        target,
        {
          method: 'POST',
          // A fresh connection per delivery: nothing lingers after close().
          agent: false,
          timeout: DELIVERY_TIMEOUT_MS,
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(payload),
            'Stripe-Signature': signature,
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      this.inFlight.add(request);
      request.on('close', () => this.inFlight.delete(request));
      request.on('timeout', () => request.destroy(new Error(`Webhook endpoint did not answer within ${DELIVERY_TIMEOUT_MS}ms`)));
      request.on('error', reject);
      request.end(payload);
    });
  }
}
