import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator } from '../../tools/stripe-emulator';
import { paidIntent, startWebhookReceiver, stripeFor } from './support/harness';

const SECRET = 'whsec_test_secret';

describe('Stripe emulator: webhooks', () => {
  let emu: StripeEmulator;
  let stripe: Stripe;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    emu = await startStripeEmulator({ webhookUrl: receiver.url, webhookSecret: SECRET });
    stripe = stripeFor(emu);
  });

  afterEach(async () => {
    await emu.close();
    await receiver.close();
  });

  it('when events happen in auto mode, then each is delivered signed and verifies with stripe.webhooks.constructEvent', async () => {
    const intent = await paidIntent(stripe);
    await emu.drainWebhooks();

    const verified = receiver.received.map((delivery) => stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET));

    expect(verified.map((event) => event.type)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    expect(verified.map((event) => event.id)).toEqual(emu.events.map((event) => event.id));
    expect((verified[2]?.data.object as Stripe.PaymentIntent).id).toBe(intent.id);
    expect(emu.deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
  });

  it('when a delivered body is tampered with, then signature verification fails', async () => {
    await paidIntent(stripe);
    await emu.drainWebhooks();
    const delivery = receiver.received[0];
    if (!delivery) throw new Error('no delivery received');

    const tampered = delivery.body.replace('"livemode": false', '"livemode": true');

    expect(tampered).not.toBe(delivery.body);
    expect(() => stripe.webhooks.constructEvent(tampered, delivery.signature, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('when delivery is manual, then nothing is sent until an event is delivered, and redelivery sends the same event again', async () => {
    emu.setWebhookDelivery('manual');
    await paidIntent(stripe);
    await emu.drainWebhooks();
    expect(receiver.received).toHaveLength(0);
    const succeeded = emu.events.find((event) => event.type === 'payment_intent.succeeded');
    if (!succeeded) throw new Error('no payment_intent.succeeded event');

    const statuses = [await emu.deliverEvent(succeeded.id), await emu.deliverEvent(succeeded.id)];

    expect(statuses).toEqual([200, 200]);
    const ids = receiver.received.map((delivery) => stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET).id);
    expect(ids).toEqual([succeeded.id, succeeded.id]);
  });

  it('when the endpoint answers 500, then the delivery is recorded with that status', async () => {
    emu.setWebhookDelivery('manual');
    receiver.answerWith(500);
    await paidIntent(stripe);
    const firstEvent = emu.events[0];
    if (!firstEvent) throw new Error('no event');

    const status = await emu.deliverEvent(firstEvent.id);

    expect(status).toBe(500);
    expect(emu.deliveries).toEqual([expect.objectContaining({ eventId: firstEvent.id, status: 500 })]);
  });

  it('when a buyer action completes, then its webhooks have already been answered', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 1000, product_data: { name: 'Mug' } }, quantity: 1 }],
      success_url: 'https://shop.example/done',
    });

    await emu.completeCheckoutSession(session.id);

    const types = receiver.received.map((delivery) => stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET).type);
    expect(types[types.length - 1]).toBe('checkout.session.completed');
  });

  it('when signPayload is used for a hand-made payload, then the SDK accepts it and rejects a stale timestamp', () => {
    const payload = JSON.stringify({ id: 'evt_hand', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });

    const event = stripe.webhooks.constructEvent(payload, emu.signPayload(payload), SECRET);
    const staleHeader = emu.signPayload(payload, Math.floor(Date.now() / 1000) - 3600);

    expect(event.id).toBe('evt_hand');
    expect(() => stripe.webhooks.constructEvent(payload, staleHeader, SECRET)).toThrow(/tolerance/i);
  });

  it('when an object changes after an event, then the event keeps the snapshot from its own time and names its request', async () => {
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'order-ord_5' });
    const created = emu.events[0];
    const intentId = (created?.data.object as { id: string }).id;

    await stripe.paymentIntents.cancel(intentId);

    expect((created?.data.object as { status: string }).status).toBe('requires_payment_method');
    expect(created?.request.idempotency_key).toBe('order-ord_5');
    expect(created?.request.id).toMatch(/^req_/);
    expect(created).toMatchObject({ object: 'event', livemode: false, pending_webhooks: 1 });
    expect(typeof created?.api_version).toBe('string');
  });
});
