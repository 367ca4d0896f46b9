import http from 'node:http';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../../../tools/stripe-emulator';

export const TEST_KEY = 'sk_test_123';

/** Server-side confirmation without redirect-based methods: the no-return_url path Stripe allows. */
export const NO_REDIRECTS = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } };

export function stripeFor(emu: StripeEmulator, config: { apiKey?: string; maxNetworkRetries?: number; timeout?: number } = {}): Stripe {
  return new Stripe(config.apiKey ?? TEST_KEY, {
    host: emu.host,
    port: emu.port,
    protocol: 'http',
    maxNetworkRetries: config.maxNetworkRetries ?? 0,
    ...(config.timeout === undefined ? {} : { timeout: config.timeout }),
  });
}

/** A fresh emulator and SDK client per test. */
export function useEmulator(options: StripeEmulatorOptions = {}): { readonly emu: StripeEmulator; readonly stripe: Stripe } {
  let emu: StripeEmulator | undefined;
  let stripe: Stripe | undefined;
  beforeEach(async () => {
    emu = await startStripeEmulator(options);
    stripe = stripeFor(emu);
  });
  afterEach(async () => {
    await emu?.close();
  });
  return {
    get emu() {
      if (!emu) throw new Error('emulator not started');
      return emu;
    },
    get stripe() {
      if (!stripe) throw new Error('emulator not started');
      return stripe;
    },
  };
}

/** The error a Stripe call rejects with; fails the test when it resolves. */
export async function stripeError(call: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('Expected the Stripe call to fail, but it succeeded');
}

export function paidIntent(stripe: Stripe, amount = 2000, metadata: Record<string, string> = { order_id: 'ord_1' }) {
  return stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata, ...NO_REDIRECTS });
}

export function inMinutes(minutes: number): number {
  return Math.floor(Date.now() / 1000) + minutes * 60;
}

export interface ReceivedWebhook {
  body: string;
  signature: string;
}

/** A local endpoint that records webhook deliveries and answers a chosen status. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  answerWith(status: number): void;
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature'] ?? '') });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    answerWith: (next) => {
      status = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
