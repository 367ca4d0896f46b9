import type Stripe from 'stripe';
import { Refund, RefundStatus } from '../../src/entities';
import { buildPaidCardOrder } from '../factories/payments.factory';
import { orderMoney, refundOrder } from '../integration/refunds/refund-api';
import { usePaymentsApp } from '../support/payments-app';

/** PostgreSQL only: many real connections refunding one order at once. */
describe('refund races (PostgreSQL)', () => {
  const h = usePaymentsApp();

  it('when ten refunds of one order race, then what succeeds never exceeds what was captured', async () => {
    const { order } = await buildPaidCardOrder(h.app.orm.em.fork(), h.stripe.stripe);
    const captured = order.amountDue;
    const slice = Math.ceil(captured / 4);
    await h.app.adminToken();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => refundOrder(h.app, { orderId: order.id, amount: slice, idempotencyKey: `race-${order.id}-${i}` })),
    );

    const succeeded = results.filter((r) => r.__typename === 'Refund' && r.status === 'SUCCEEDED');
    const refused = results.filter((r) => r.__typename === 'UserError');
    expect(succeeded).toHaveLength(Math.floor(captured / slice));
    expect(refused.every((r) => r.errorCode === 'REFUND_EXCEEDS_REFUNDABLE')).toBe(true);
    expect(succeeded.length + refused.length).toBe(10);
    const stripeTotal = h.stripe.emulator.createdObjects('refund').reduce((sum: number, r: Stripe.Refund) => sum + r.amount, 0);
    expect(stripeTotal).toBe(succeeded.length * slice);
    expect(stripeTotal).toBeLessThanOrEqual(captured);
    expect((await orderMoney(h.app, order.id)).totals.refunded.amount).toBe(stripeTotal);
  });

  it('when ten requests with one idempotency key race, then one refund exists and Stripe refunds once', async () => {
    const { order } = await buildPaidCardOrder(h.app.orm.em.fork(), h.stripe.stripe);
    await h.app.adminToken();

    const results = await Promise.all(
      Array.from({ length: 10 }, () => refundOrder(h.app, { orderId: order.id, amount: 500, idempotencyKey: `same-${order.id}` })),
    );

    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await h.app.orm.em.fork().count(Refund, { orderId: order.id })).toBe(1);
    expect(h.stripe.emulator.createdObjects('refund')).toHaveLength(1);
    const refund = await h.app.orm.em.fork().findOneOrFail(Refund, { orderId: order.id });
    expect(refund.status).toBe(RefundStatus.SUCCEEDED);
  });
});
