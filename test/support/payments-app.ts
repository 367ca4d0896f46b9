import type { StartOptions } from '../../src/app';
import { startTestStripe, type TestStripe } from './stripe';
import { startTestApp, type TestApp } from './test-app';

export interface PaymentsAppOptions {
  /** Environment on top of the emulator's Stripe settings. */
  env?: Record<string, string>;
  start?: StartOptions;
  /**
   * Webhooks from the emulator to the app: 'auto' sends each as Stripe would,
   * 'manual' holds them until the test delivers or drains them (the mode is
   * restored before each test), 'none' (default) configures no endpoint.
   */
  webhooks?: 'auto' | 'manual' | 'none';
}

export interface PaymentsApp {
  readonly app: TestApp;
  readonly stripe: TestStripe;
}

/**
 * One gateway and one Stripe emulator for a whole test file, registered as
 * Jest hooks (call it at the top of a `describe`, before the file's own hooks,
 * so those see both started). Read `app` and `stripe` inside hooks and tests.
 */
export function usePaymentsApp(options: PaymentsAppOptions = {}): PaymentsApp {
  const webhooks = options.webhooks ?? 'none';
  let app: TestApp | undefined;
  let stripe: TestStripe | undefined;
  const started = () => {
    if (!app || !stripe) throw new Error('usePaymentsApp: the app is read before its beforeAll hook ran');
    return { app, stripe };
  };

  beforeAll(async () => {
    stripe = await startTestStripe();
    app = await startTestApp({ ...stripe.env, ...options.env }, options.start);
    if (webhooks !== 'none') stripe.deliverTo(app.url);
  });
  // Each test starts from empty tables and an emulator without objects, requests or faults.
  beforeEach(async () => {
    const current = started();
    current.stripe.emulator.reset();
    if (webhooks !== 'none') current.stripe.emulator.setWebhookDelivery(webhooks);
    await current.app.reset();
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
  });

  return {
    get app() {
      return started().app;
    },
    get stripe() {
      return started().stripe;
    },
  };
}
