import { OutboxEvent, SellerTransfer, TransferStatus } from '../../src/entities';
import { SellerTransferWorker } from '../../src/services/workers/seller-transfer.worker';
import { TransferReversalWorker } from '../../src/services/workers/transfer-reversal.worker';
import { buildSeller } from '../factories/catalog.factory';
import { buildPaidCardOrder, sellerLines } from '../factories/payments.factory';
import { refundOrder } from '../integration/refunds/refund-api';
import { usePaymentsApp } from '../support/payments-app';

/** PostgreSQL only: two worker processes (two workers, separate connections) on the same rows. */
describe('payout worker races (PostgreSQL)', () => {
  const h = usePaymentsApp();

  it('when two transfer workers and then two reversal workers run at once, then each transfer is created and reversed exactly once', async () => {
    const em = h.app.orm.em.fork();
    const orderIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const lines = await sellerLines(em, [
        { seller: await buildSeller(em), price: 2_000 },
        { seller: await buildSeller(em), price: 1_500 },
      ]);
      const { order } = await buildPaidCardOrder(em, h.stripe.stripe, { lines });
      em.create(OutboxEvent, { type: 'order.placed', aggregateId: order.id, payload: { orderId: order.id } });
      orderIds.push(order.id);
    }
    await em.flush();
    const payments = h.app.tillgate.deps.payments!;
    const settings = { platformFeeBps: 500, maxRetries: 3, backoffBaseMs: 60_000, backoffMaxMs: 600_000 };
    const { deps } = h.app.tillgate;
    const workers = [new SellerTransferWorker(deps, payments, settings), new SellerTransferWorker(deps, payments, settings)];

    await Promise.all(workers.map((worker) => worker.runOnce(h.app.orm.em.fork(), new Date())));
    for (const orderId of orderIds) await refundOrder(h.app, { orderId, idempotencyKey: `race-full-${orderId}` });
    const reversers = [new TransferReversalWorker(deps, payments, settings), new TransferReversalWorker(deps, payments, settings)];
    await Promise.all(reversers.map((worker) => worker.runOnce(h.app.orm.em.fork(), new Date())));

    const rows = await h.app.orm.em.fork().find(SellerTransfer, { orderId: { $in: orderIds } });
    expect(rows).toHaveLength(12);
    expect(rows.every((t) => t.status === TransferStatus.REVERSED)).toBe(true);
    const creates = h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers');
    const reversalCalls = h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reversals'));
    expect(creates.map((r) => r.idempotencyKey).sort()).toEqual(rows.map((t) => t.id).sort());
    expect(reversalCalls).toHaveLength(12);
    expect(h.stripe.emulator.createdObjects('transfer')).toHaveLength(12);
    expect(h.stripe.emulator.createdObjects('transfer_reversal')).toHaveLength(12);
  });
});
