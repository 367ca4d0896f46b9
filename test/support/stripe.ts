import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../../tools/stripe-emulator';

export const TEST_STRIPE_SECRET_KEY = 'sk_test_tillgate';
export const TEST_STRIPE_WEBHOOK_SECRET = 'whsec_tillgate_test_secret';

export interface TestStripe {
  emulator: StripeEmulator;
  /** Environment for startTestApp(env): points the server's SDK at the emulator. */
  env: { STRIPE_SECRET_KEY: string; STRIPE_WEBHOOK_SECRET: string; STRIPE_API_BASE: string };
  /** A real SDK client on the emulator for the test's own look-ups (no retries). */
  stripe: Stripe;
  /** Sends the emulator's webhooks to the app under test. */
  deliverTo(appUrl: string): void;
  close(): Promise<void>;
}

/** A local Stripe emulator on a free port, driven through the real SDK. */
export async function startTestStripe(): Promise<TestStripe> {
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: TEST_STRIPE_WEBHOOK_SECRET });
  const stripe = new Stripe(TEST_STRIPE_SECRET_KEY, { host: emulator.host, port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });
  return {
    emulator,
    env: { STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE: emulator.url },
    stripe,
    deliverTo(appUrl) {
      emulator.setWebhookUrl(`${appUrl}/webhooks/stripe`);
    },
    close: () => emulator.close(),
  };
}
