import type { EntityManager } from '../../../src/db/orm';
import { ProcessedWebhookEvent } from '../../../src/entities';
import { buildPaidCardOrder } from '../../factories/payments.factory';
import { startTestStripe, type TestStripe } from '../../support/stripe';
import { startTestApp, type TestApp } from '../../support/test-app';
import { orderMoney, refundOrder } from './refund-api';

describe('refund webhooks', () => {
  let stripe: TestStripe;
  let app: TestApp;
  let em: EntityManager;
  let keySeq = 0;
  const key = () => `webhook-refund-${Date.now()}-${++keySeq}`;

  beforeAll(async () => {
    stripe = await startTestStripe();
    app = await startTestApp({ ...stripe.env });
    stripe.deliverTo(app.url);
  });
  afterAll(async () => {
    await app.close();
    await stripe.close();
  });
  beforeEach(async () => {
    await app.reset();
    stripe.emulator.reset();
    stripe.emulator.setWebhookDelivery('auto');
    stripe.deliverTo(app.url);
    em = app.orm.em.fork();
  });

  it('when Stripe holds a refund pending and later settles it, then refund.updated settles ours once, even when redelivered', async () => {
    const { order } = await buildPaidCardOrder(em, stripe.stripe);
    stripe.emulator.holdNextRefund();

    const pending = await refundOrder(app, { orderId: order.id, amount: 800, idempotencyKey: key() });
    await stripe.emulator.drainWebhooks();
    const beforeSettle = await orderMoney(app, order.id);
    await stripe.emulator.settleRefund(pending.providerRefundId, 'succeeded');
    await stripe.emulator.drainWebhooks();
    const updated = stripe.emulator.events.find((e) => e.type === 'refund.updated')!;
    const redelivery = await stripe.emulator.deliverEvent(updated.id);
    const after = await orderMoney(app, order.id);

    expect(pending).toMatchObject({ status: 'PENDING', providerRefundId: expect.stringMatching(/^re_/) });
    expect(beforeSettle.refunds[0].status).toBe('PENDING');
    expect(redelivery).toBe(200);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED' })]);
    expect(after.totals.refunded.amount).toBe(800);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
    expect(await em.fork().count(ProcessedWebhookEvent, { id: updated.id })).toBe(1);
  });

  it('when Stripe fails a pending refund, then ours is FAILED and the amount can be refunded again', async () => {
    const { order } = await buildPaidCardOrder(em, stripe.stripe);
    stripe.emulator.holdNextRefund();
    const pending = await refundOrder(app, { orderId: order.id, idempotencyKey: key() });

    await stripe.emulator.settleRefund(pending.providerRefundId, 'failed');
    await stripe.emulator.drainWebhooks();
    const retry = await refundOrder(app, { orderId: order.id, idempotencyKey: key() });

    const after = await orderMoney(app, order.id);
    expect(after.refunds.map((r: { status: string }) => r.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(retry.amount.amount).toBe(order.amountDue);
    expect(after.totals.refunded.amount).toBe(order.amountDue);
  });

  it('when the answer to a refund was lost, then the charge.refunded webhook settles it without a second Stripe refund', async () => {
    const { order } = await buildPaidCardOrder(em, stripe.stripe);
    stripe.emulator.faults.add({ path: '/v1/refunds', action: { kind: 'applyThenFail', status: 500 } });
    stripe.emulator.faults.add({ path: '/v1/refunds', times: 2, action: { kind: 'status', status: 503 } });
    stripe.emulator.setWebhookDelivery('manual');

    const pending = await refundOrder(app, { orderId: order.id, idempotencyKey: key() });
    const chargeRefunded = stripe.emulator.events.find((e) => e.type === 'charge.refunded')!;
    const delivered = await stripe.emulator.deliverEvent(chargeRefunded.id);
    const after = await orderMoney(app, order.id);

    expect(pending.status).toBe('PENDING');
    expect(delivered).toBe(200);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) })]);
    expect(stripe.emulator.createdObjects('refund')).toHaveLength(1);
  });
});
