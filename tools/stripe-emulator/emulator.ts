import { randomBytes } from 'node:crypto';
import type { Env } from './context';
import { createControlHandler } from './control/control-api';
import { ApiError } from './errors';
import { BUYER_ACTION, EventLog } from './events/event-log';
import { WebhookDispatcher, signPayload, type WebhookDeliveryMode } from './events/webhooks';
import { FaultTable } from './faults';
import { IdempotencyStore } from './idempotency';
import { snapshot } from './objects';
import { expireSession, payCheckoutSession, requireCheckoutSession } from './resources/checkout-sessions';
import { completeAuthentication } from './resources/payment-flow';
import { requirePaymentIntent } from './resources/payment-intents';
import { requireRefund, settleRefund } from './resources/refunds';
import { EmulatorServer } from './server';
import { EmulatorState, type CreatedObjectType, type OffSessionFailure } from './state';
import type { RequestLogEntry, StripeEmulator, StripeEmulatorOptions } from './types';

export const DEFAULT_API_VERSION = '2026-10-28.endive';

/** Buyer actions report misuse as plain Errors: they are test-side calls, not API responses. */
function asPlainError(error: unknown): unknown {
  return error instanceof ApiError ? new Error(error.message) : error;
}

export class StripeEmulatorInstance implements StripeEmulator {
  readonly protocol = 'http' as const;
  readonly faults = new FaultTable();
  readonly requests: RequestLogEntry[] = [];
  readonly webhookSecret: string;
  url = '';
  host: string;
  port = 0;

  private readonly state = new EmulatorState();
  private readonly dispatcher: WebhookDispatcher;
  private readonly eventLog: EventLog;
  private readonly idempotency = new IdempotencyStore();
  private readonly env: Env;
  private readonly server: EmulatorServer;

  constructor(private readonly options: StripeEmulatorOptions) {
    // A wildcard bind address is not something a client can connect to.
    const bindHost = options.host ?? '127.0.0.1';
    this.host = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
    this.webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`;
    this.dispatcher = new WebhookDispatcher(this.webhookSecret, options.webhookUrl, 'auto');
    const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.eventLog = new EventLog({
      apiVersion,
      hasEndpoint: () => this.dispatcher.hasEndpoint(),
      onEvent: (event) => this.dispatcher.onEvent(event),
    });
    this.env = { state: this.state, events: this.eventLog, baseUrl: '' };
    this.server = new EmulatorServer({
      env: this.env,
      idempotency: this.idempotency,
      faults: this.faults,
      requests: this.requests,
      acceptsApiKey: (key) => (options.apiKey === undefined ? key.startsWith('sk_test_') : key === options.apiKey),
      apiVersion,
      control: createControlHandler(this, this.env),
    });
  }

  async start(): Promise<void> {
    this.port = await this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    this.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
    this.env.baseUrl = this.url;
  }

  async close(): Promise<void> {
    this.dispatcher.close();
    await this.server.close();
  }

  get events() {
    return this.eventLog.events;
  }

  get deliveries() {
    return this.dispatcher.deliveries;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON snapshots of several Stripe object types; callers give each the SDK's type
  createdObjects(type: CreatedObjectType): any[] {
    return this.state.createdIds(type).map((id) => snapshot(this.state.find(id)));
  }

  async completeCheckoutSession(id: string, opts: { paymentMethod?: string } = {}): Promise<void> {
    await this.buyerAction(() => {
      payCheckoutSession(this.env, requireCheckoutSession(this.env, id), opts.paymentMethod ?? 'pm_card_visa', BUYER_ACTION);
    });
  }

  async expireCheckoutSession(id: string): Promise<void> {
    await this.buyerAction(() => expireSession(this.env, requireCheckoutSession(this.env, id), BUYER_ACTION));
  }

  async completeAuthentication(paymentIntentId: string, succeed: boolean): Promise<void> {
    await this.buyerAction(() => completeAuthentication(this.env, requirePaymentIntent(this.env, paymentIntentId), succeed, BUYER_ACTION));
  }

  holdNextRefund(): void {
    this.state.holdNextRefund = true;
  }

  failNextOffSessionCharge(customerId: string, failure: OffSessionFailure): void {
    if (!this.state.customers.has(customerId)) throw new Error(`No such customer: '${customerId}'`);
    this.state.offSessionFailures.set(customerId, failure);
  }

  async settleRefund(id: string, outcome: 'succeeded' | 'failed'): Promise<void> {
    await this.buyerAction(() => settleRefund(this.env, requireRefund(this.env, id), outcome, BUYER_ACTION));
  }

  deliverEvent(eventId: string): Promise<number> {
    const event = this.eventLog.find(eventId);
    if (!event) return Promise.reject(new Error(`No such event: '${eventId}'`));
    return this.dispatcher.deliver(event);
  }

  setWebhookDelivery(mode: WebhookDeliveryMode): void {
    this.dispatcher.mode = mode;
  }

  setWebhookUrl(url: string | undefined): void {
    this.dispatcher.url = url;
  }

  drainWebhooks(): Promise<void> {
    return this.dispatcher.drain();
  }

  signPayload(payload: string, timestamp = Math.floor(Date.now() / 1000)): string {
    return signPayload(this.webhookSecret, payload, timestamp);
  }

  /** Forgets all objects, events, requests, keys and faults; keeps the webhook endpoint and delivery mode. */
  reset(): void {
    this.state.clear();
    this.eventLog.clear();
    this.idempotency.clear();
    this.faults.clear();
    this.requests.length = 0;
    this.dispatcher.deliveries.length = 0;
  }

  /**
   * Applies a simulated outside action, then waits for the webhooks it caused
   * (in auto mode), so a test can assert on the app's reaction right away.
   */
  private async buyerAction(apply: () => void): Promise<void> {
    try {
      apply();
    } catch (error) {
      throw asPlainError(error);
    }
    await this.dispatcher.drain();
  }
}
