import type { EntityManager } from '../../../src/db/orm';
import { OutboxEvent, ProcessedWebhookEvent, Refund, RefundStatus } from '../../../src/entities';
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
    const { order, pending, chargeRefunded } = await refundWithLostAnswer();

    const delivered = await h.stripe.emulator.deliverEvent(chargeRefunded.id);
    const after = await orderMoney(h.app, order.id);

    expect(pending.status).toBe('PENDING');
    expect(delivered).toBe(200);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) })]);
    expect(h.stripe.emulator.createdObjects('refund')).toHaveLength(1);
  });

  /** A card refund whose Stripe answer was lost (applied at Stripe, then an outage), PENDING without a Stripe id, and its charge.refunded event held back. */
  async function refundWithLostAnswer() {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    h.stripe.emulator.faults.add({ path: '/v1/refunds', action: { kind: 'applyThenFail', status: 500 } });
    h.stripe.emulator.faults.add({ path: '/v1/refunds', times: 2, action: { kind: 'status', status: 503 } });
    h.stripe.emulator.setWebhookDelivery('manual');
    const pending = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });
    const chargeRefunded = h.stripe.emulator.events.find((e) => e.type === 'charge.refunded')!;
    return { order, pending, chargeRefunded };
  }
  const refundCalls = () => h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
  const succeededEvents = (orderId: string) => em.fork().count(OutboxEvent, { type: 'refund.succeeded', aggregateId: orderId });

  it('when charge.refunded is delivered again after it settled a refund, then the redelivery has no second effect', async () => {
    const { order, pending, chargeRefunded } = await refundWithLostAnswer();

    const first = await h.stripe.emulator.deliverEvent(chargeRefunded.id);
    const callsAfterFirst = refundCalls().length;
    const second = await h.stripe.emulator.deliverEvent(chargeRefunded.id);

    expect(pending.status).toBe('PENDING');
    expect([first, second]).toEqual([200, 200]);
    expect(refundCalls()).toHaveLength(callsAfterFirst);
    expect(await succeededEvents(order.id)).toBe(1);
    expect(await em.fork().count(ProcessedWebhookEvent, { id: chargeRefunded.id })).toBe(1);
    const after = await orderMoney(h.app, order.id);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED' })]);
    expect(after.totals.refunded.amount).toBe(order.amountDue);
    expect(h.stripe.emulator.createdObjects('refund')).toHaveLength(1);
  });

  it('when Stripe cannot answer while charge.refunded is handled, then the event is not recorded (503) and its redelivery settles the refund', async () => {
    const { order, pending, chargeRefunded } = await refundWithLostAnswer();
    h.stripe.emulator.faults.add({ path: '/v1/refunds', times: 3, action: { kind: 'status', status: 503 } });

    const refused = await h.stripe.emulator.deliverEvent(chargeRefunded.id);
    const recordedAfterRefusal = await em.fork().count(ProcessedWebhookEvent, { id: chargeRefunded.id });
    const whileRefused = await em.fork().findOneOrFail(Refund, { id: pending.id });
    const redelivered = await h.stripe.emulator.deliverEvent(chargeRefunded.id);

    expect([refused, recordedAfterRefusal, whileRefused.status]).toEqual([503, 0, RefundStatus.PENDING]);
    expect(redelivered).toBe(200);
    expect(await em.fork().count(ProcessedWebhookEvent, { id: chargeRefunded.id })).toBe(1);
    expect((await em.fork().findOneOrFail(Refund, { id: pending.id })).status).toBe(RefundStatus.SUCCEEDED);
    expect(await succeededEvents(order.id)).toBe(1);
    expect(h.stripe.emulator.createdObjects('refund')).toHaveLength(1);
  });

  it('when another delivery of the same charge.refunded commits first while Stripe is being asked, then this one applies nothing', async () => {
    const { order, pending, chargeRefunded } = await refundWithLostAnswer();
    const held = h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/refunds', action: { kind: 'delay', ms: 1_500 } });

    const delivery = h.stripe.emulator.deliverEvent(chargeRefunded.id);
    await held.hit;
    await em.fork().insert(ProcessedWebhookEvent, { id: chargeRefunded.id, type: chargeRefunded.type, processedAt: new Date() });
    const status = await delivery;

    // The event id and the effect commit together: the losing delivery rolled its settlement back.
    expect(status).toBe(200);
    expect((await em.fork().findOneOrFail(Refund, { id: pending.id })).status).toBe(RefundStatus.PENDING);
    expect(await succeededEvents(order.id)).toBe(0);
  });
});
