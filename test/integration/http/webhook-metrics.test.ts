import Stripe from 'stripe';
import { metricMoves } from '../../support/metrics-text';
import { startTestApp, type TestApp } from '../../support/test-app';

const WEBHOOK_SECRET = 'whsec_webhook_metrics_test';

/** webhook_events_total: every delivery counted once, by (closed) type and outcome. */
describe('webhook metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Stripe is configured but never reached: these events need no lookup.
    app = await startTestApp({ STRIPE_SECRET_KEY: 'sk_test_unused', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: 'http://127.0.0.1:9' });
  });
  afterAll(() => app.close());

  const deliver = (event: Record<string, unknown>, secret = WEBHOOK_SECRET) => {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    return fetch(`${app.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
  };
  const event = (id: string, type: string) => ({
    id,
    object: 'event',
    type,
    created: 1_700_000_000,
    data: { object: { id: `pi_${id}`, object: 'payment_intent', metadata: {} } },
  });
  const webhookMoves = (action: () => Promise<unknown>) => metricMoves(app, 'webhook_events_total', action);

  it('when a delivery is signed with another secret, then it is refused and counted as refused, its claimed type not used as a label', async () => {
    let status = 0;
    const moved = await webhookMoves(async () => {
      status = (await deliver(event('evt_forged', 'payment_intent.succeeded'), 'whsec_someone_else')).status;
    });
    expect(status).toBe(400);
    expect(moved).toEqual({ '{type="unverified",outcome="refused"}': 1 });
  });

  it('when a handled event names no order, then it counts as ignored under its type, and its redelivery as duplicate', async () => {
    const once = await webhookMoves(() => deliver(event('evt_no_order', 'payment_intent.succeeded')));
    expect(once).toEqual({ '{type="payment_intent.succeeded",outcome="ignored"}': 1 });
    const again = await webhookMoves(() => deliver(event('evt_no_order', 'payment_intent.succeeded')));
    expect(again).toEqual({ '{type="payment_intent.succeeded",outcome="duplicate"}': 1 });
  });

  it('when an event type the gateway does not handle arrives, then it counts as ignored under other', async () => {
    let status = 0;
    const moved = await webhookMoves(async () => {
      status = (await deliver(event('evt_customer', `customer.made_up_${Date.now()}`))).status;
    });
    expect(status).toBe(200);
    expect(moved).toEqual({ '{type="other",outcome="ignored"}': 1 });
  });
});
