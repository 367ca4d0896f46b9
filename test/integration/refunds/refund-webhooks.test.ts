import type { EntityManager } from '../../../src/db/orm';
import { ProcessedWebhookEvent } from '../../../src/entities';
import { buildPaidCardOrder } from '../../factories/payments.factory';
import { usePaymentsApp } from '../../support/payments-app';
import { orderMoney, refundOrder } from './refund-api';

describe('refund webhooks', () => {
  const h = usePaymentsApp({ webhooks: 'auto' });
  let em: EntityManager;
  let keySeq = 0;
  const key = () => `webhook-refund-${Date.now()}-${++keySeq}`;

  beforeEach(() => {
    em = h.app.orm.em.fork();
  });

  it('when Stripe holds a refund pending and later settles it, then refund.updated settles ours once, even when redelivered', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    h.stripe.emulator.holdNextRefund();

    const pending = await refundOrder(h.app, { orderId: order.id, amount: 800, idempotencyKey: key() });
    await h.stripe.emulator.drainWebhooks();
    const beforeSettle = await orderMoney(h.app, order.id);
    await h.stripe.emulator.settleRefund(pending.providerRefundId, 'succeeded');
    await h.stripe.emulator.drainWebhooks();
    const updated = h.stripe.emulator.events.find((e) => e.type === 'refund.updated')!;
    const redelivery = await h.stripe.emulator.deliverEvent(updated.id);
    const after = await orderMoney(h.app, order.id);

    expect(pending).toMatchObject({ status: 'PENDING', providerRefundId: expect.stringMatching(/^re_/) });
    expect(beforeSettle.refunds[0].status).toBe('PENDING');
    expect(redelivery).toBe(200);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED' })]);
    expect(after.totals.refunded.amount).toBe(800);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
    expect(await em.fork().count(ProcessedWebhookEvent, { id: updated.id })).toBe(1);
  });

  it('when Stripe fails a pending refund, then ours is FAILED and the amount can be refunded again', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    h.stripe.emulator.holdNextRefund();
    const pending = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });

    await h.stripe.emulator.settleRefund(pending.providerRefundId, 'failed');
    await h.stripe.emulator.drainWebhooks();
    const retry = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });

    const after = await orderMoney(h.app, order.id);
    expect(after.refunds.map((r: { status: string }) => r.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(retry.amount.amount).toBe(order.amountDue);
    expect(after.totals.refunded.amount).toBe(order.amountDue);
  });

  it('when the answer to a refund was lost, then the charge.refunded webhook settles it without a second Stripe refund', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    h.stripe.emulator.faults.add({ path: '/v1/refunds', action: { kind: 'applyThenFail', status: 500 } });
    h.stripe.emulator.faults.add({ path: '/v1/refunds', times: 2, action: { kind: 'status', status: 503 } });
    h.stripe.emulator.setWebhookDelivery('manual');

    const pending = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });
    const chargeRefunded = h.stripe.emulator.events.find((e) => e.type === 'charge.refunded')!;
    const delivered = await h.stripe.emulator.deliverEvent(chargeRefunded.id);
    const after = await orderMoney(h.app, order.id);

    expect(pending.status).toBe('PENDING');
    expect(delivered).toBe(200);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) })]);
    expect(h.stripe.emulator.createdObjects('refund')).toHaveLength(1);
  });
});
