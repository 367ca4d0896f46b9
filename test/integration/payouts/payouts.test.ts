import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type Stripe from 'stripe';
import type { EntityManager } from '../../../src/db/orm';
import { OutboxEvent, SellerTransfer, TransferStatus } from '../../../src/entities';
import { SellerTransferWorker } from '../../../src/services/workers/seller-transfer.worker';
import { TransferReversalWorker } from '../../../src/services/workers/transfer-reversal.worker';
import { buildSeller } from '../../factories/catalog.factory';
import { buildPaidCardOrder, sellerLines } from '../../factories/payments.factory';
import { usePaymentsApp } from '../../support/payments-app';
import { orderMoney, refundOrder } from '../refunds/refund-api';

const MINUTE = 60_000;

describe('seller payouts and reversals', () => {
  const h = usePaymentsApp({ env: { PLATFORM_FEE_BPS: '1000' } });
  let em: EntityManager;
  let transfers: SellerTransferWorker;
  let reversals: TransferReversalWorker;
  const settings = { maxRetries: 3, backoffBaseMs: MINUTE, backoffMaxMs: 3 * MINUTE };

  beforeAll(() => {
    const payments = h.app.tillgate.deps.payments!;
    transfers = new SellerTransferWorker(h.app.tillgate.deps, payments, { platformFeeBps: 1_000, ...settings });
    reversals = new TransferReversalWorker(h.app.tillgate.deps, payments, settings);
  });
  beforeEach(() => {
    em = h.app.orm.em.fork();
  });

  /** A placed card order with two sellers' lines and one platform line, announced by `order.placed`. */
  async function twoSellerOrder() {
    const [alice, bob] = [await buildSeller(em), await buildSeller(em)];
    const lines = await sellerLines(em, [
      { seller: alice, price: 3_000, quantity: 2 },
      { seller: bob, price: 1_999 },
      { seller: null, price: 1_000 },
    ]);
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe, { lines });
    em.create(OutboxEvent, { type: 'order.placed', aggregateId: order.id, payload: { orderId: order.id } });
    await em.flush();
    return { order, alice, bob };
  }

  const transfersOf = (orderId: string) => em.fork().find(SellerTransfer, { orderId }, { orderBy: { amount: 'desc' } });

  it('when a card order with two sellers is placed, then two transfers are COMPLETED with Stripe ids, net of the platform fee', async () => {
    const { order, alice, bob } = await twoSellerOrder();

    await transfers.runOnce(h.app.orm.em.fork(), new Date());

    const rows = await transfersOf(order.id);
    expect(rows.map((t) => [t.sellerId, t.amount, t.status])).toEqual([
      [alice.id, 5_400, TransferStatus.COMPLETED],
      [bob.id, 1_799, TransferStatus.COMPLETED],
    ]);
    const atStripe: Stripe.Transfer[] = h.stripe.emulator.createdObjects('transfer');
    expect(rows.map((t) => t.stripeTransferId).sort()).toEqual(atStripe.map((t) => t.id).sort());
    expect(atStripe.map((t) => [t.destination, t.amount, t.transfer_group])).toEqual(
      expect.arrayContaining([
        [alice.stripeAccountId, 5_400, order.id],
        [bob.stripeAccountId, 1_799, order.id],
      ]),
    );
    const keys = h.stripe.emulator.requests
      .filter((r) => r.path === '/v1/transfers')
      .map((r) => r.idempotencyKey)
      .sort();
    expect(keys).toEqual(rows.map((t) => t.id).sort());
    const exposed = await orderMoney(h.app, order.id);
    expect(exposed.sellerTransfers.map((t: { seller: { id: string } }) => t.seller.id).sort()).toEqual([alice.id, bob.id].sort());
  });

  it('when the order is fully refunded, then both transfers are REVERSED at Stripe by the reversal worker', async () => {
    const { order } = await twoSellerOrder();
    await transfers.runOnce(h.app.orm.em.fork(), new Date());

    const refund = await refundOrder(h.app, { orderId: order.id, idempotencyKey: `full-${order.id}` });
    const queued = await transfersOf(order.id);
    await reversals.runOnce(h.app.orm.em.fork(), new Date());

    expect(refund.status).toBe('SUCCEEDED');
    expect(queued.map((t) => [t.status, t.pendingReversalAmount])).toEqual([
      [TransferStatus.REVERSAL_PENDING, 5_400],
      [TransferStatus.REVERSAL_PENDING, 1_799],
    ]);
    const done = await transfersOf(order.id);
    expect(done.map((t) => [t.status, t.reversedAmount])).toEqual([
      [TransferStatus.REVERSED, 5_400],
      [TransferStatus.REVERSED, 1_799],
    ]);
    const atStripe: Stripe.TransferReversal[] = h.stripe.emulator.createdObjects('transfer_reversal');
    expect(done.map((t) => t.stripeReversalId).sort()).toEqual(atStripe.map((r) => r.id).sort());
    const keys = h.stripe.emulator.requests
      .filter((r) => r.path.endsWith('/reversals'))
      .map((r) => r.idempotencyKey)
      .sort();
    expect(keys).toEqual(done.map((t) => `${t.id}:${refund.id}`).sort());
  });

  it('when a partial refund succeeds, then each transfer reverses only the refunded share and stays COMPLETED', async () => {
    const { order } = await twoSellerOrder();
    await transfers.runOnce(h.app.orm.em.fork(), new Date());

    await refundOrder(h.app, { orderId: order.id, amount: Math.floor(order.amountDue / 2), idempotencyKey: `half-${order.id}` });
    await reversals.runOnce(h.app.orm.em.fork(), new Date());

    const rows = await transfersOf(order.id);
    const refunded = Math.floor(order.amountDue / 2);
    expect(rows.map((t) => [t.status, t.reversedAmount])).toEqual([
      [TransferStatus.COMPLETED, Math.floor((5_400 * refunded) / order.amountDue)],
      [TransferStatus.COMPLETED, Math.floor((1_799 * refunded) / order.amountDue)],
    ]);
  });

  it('when Stripe keeps failing reversals, then retryCount grows, nextRetryAt backs off (capped), then PERMANENTLY_FAILED with an outbox event', async () => {
    const { order } = await twoSellerOrder();
    await transfers.runOnce(h.app.orm.em.fork(), new Date());
    await refundOrder(h.app, { orderId: order.id, idempotencyKey: `full-${order.id}` });
    h.stripe.emulator.faults.add({ path: /\/reversals$/, times: 1_000, action: { kind: 'status', status: 500 } });

    const observed: [number, number | null][] = [];
    let now = new Date(Date.now() + MINUTE);
    for (let round = 0; round < 4; round++) {
      await reversals.runOnce(h.app.orm.em.fork(), now);
      const [big] = await transfersOf(order.id);
      observed.push([big.retryCount, big.nextRetryAt ? big.nextRetryAt.getTime() - now.getTime() : null]);
      if (big.nextRetryAt) now = new Date(big.nextRetryAt.getTime());
    }

    expect(observed).toEqual([
      [1, MINUTE],
      [2, 2 * MINUTE],
      [3, 3 * MINUTE],
      [3, null],
    ]);
    const rows = await transfersOf(order.id);
    expect(rows.map((t) => t.status)).toEqual([TransferStatus.PERMANENTLY_FAILED, TransferStatus.PERMANENTLY_FAILED]);
    expect(await em.fork().count(OutboxEvent, { type: 'seller_transfer.reversal_failed', aggregateId: order.id })).toBe(2);
    expect((await orderMoney(h.app, order.id)).status).toBe('REFUNDED');
  });

  it('when Stripe refuses every transfer create, then retryCount grows, nextRetryAt backs off (capped), then PERMANENTLY_FAILED with an outbox event', async () => {
    const { order } = await twoSellerOrder();
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/transfers', times: 1_000, action: { kind: 'status', status: 500 } });

    const observed: [TransferStatus, number, number | null][] = [];
    let now = new Date(Date.now() + MINUTE);
    for (let round = 0; round < 4; round++) {
      await transfers.runOnce(h.app.orm.em.fork(), now);
      const [big] = await transfersOf(order.id);
      observed.push([big.status, big.retryCount, big.nextRetryAt ? big.nextRetryAt.getTime() - now.getTime() : null]);
      if (big.nextRetryAt) now = new Date(big.nextRetryAt.getTime());
    }

    expect(observed).toEqual([
      [TransferStatus.FAILED, 1, MINUTE],
      [TransferStatus.FAILED, 2, 2 * MINUTE],
      [TransferStatus.FAILED, 3, 3 * MINUTE],
      [TransferStatus.PERMANENTLY_FAILED, 3, null],
    ]);
    const rows = await transfersOf(order.id);
    expect(rows.map((t) => [t.status, t.stripeTransferId])).toEqual([
      [TransferStatus.PERMANENTLY_FAILED, null],
      [TransferStatus.PERMANENTLY_FAILED, null],
    ]);
    // Every attempt (and the SDK's own retries of it) reuses the transfer's id as Idempotency-Key.
    const keys = h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers').map((r) => r.idempotencyKey);
    expect(new Set(keys)).toEqual(new Set(rows.map((t) => t.id)));
    expect(keys.filter((k) => k === rows[0].id).length).toBeGreaterThanOrEqual(4);
    expect(h.stripe.emulator.createdObjects('transfer')).toHaveLength(0);
    const alerts = await em.fork().find(OutboxEvent, { type: 'seller_transfer.failed', aggregateId: order.id });
    expect(alerts.map((e) => (e.payload as { transferId: string }).transferId).sort()).toEqual(rows.map((t) => t.id).sort());
  });

  it('when a refund succeeds before the transfers completed, then they are queued for reversal as they complete and then REVERSED', async () => {
    const { order } = await twoSellerOrder();
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/transfers', times: 1_000, action: { kind: 'status', status: 500 } });
    await transfers.runOnce(h.app.orm.em.fork(), new Date());
    h.stripe.emulator.faults.clear();

    const refund = await refundOrder(h.app, { orderId: order.id, idempotencyKey: `early-${order.id}` });
    const atRefund = await transfersOf(order.id);
    await transfers.runOnce(h.app.orm.em.fork(), new Date(Date.now() + MINUTE));
    const afterTransfer = await transfersOf(order.id);
    await reversals.runOnce(h.app.orm.em.fork(), new Date(Date.now() + MINUTE));
    const done = await transfersOf(order.id);

    expect(refund.status).toBe('SUCCEEDED');
    expect(atRefund.map((t) => t.status)).toEqual([TransferStatus.FAILED, TransferStatus.FAILED]);
    expect(afterTransfer.map((t) => [t.status, t.pendingReversalAmount, t.pendingReversalRefundId])).toEqual([
      [TransferStatus.REVERSAL_PENDING, 5_400, refund.id],
      [TransferStatus.REVERSAL_PENDING, 1_799, refund.id],
    ]);
    expect(afterTransfer.every((t) => t.stripeTransferId?.startsWith('tr_'))).toBe(true);
    expect(done.map((t) => [t.status, t.reversedAmount])).toEqual([
      [TransferStatus.REVERSED, 5_400],
      [TransferStatus.REVERSED, 1_799],
    ]);
    const keys = h.stripe.emulator.requests
      .filter((r) => r.path.endsWith('/reversals'))
      .map((r) => r.idempotencyKey)
      .sort();
    expect(keys).toEqual(done.map((t) => `${t.id}:${refund.id}`).sort());
  });

  it('when Stripe says the transfer is already reversed, then it is REVERSED; when the transfer is unknown, PERMANENTLY_FAILED', async () => {
    const { order } = await twoSellerOrder();
    await transfers.runOnce(h.app.orm.em.fork(), new Date());
    const [big, small] = await transfersOf(order.id);
    await h.stripe.stripe.transfers.createReversal(big.stripeTransferId!);
    await em.fork().nativeUpdate(SellerTransfer, { id: small.id }, { stripeTransferId: 'tr_doesnotexist' });

    await refundOrder(h.app, { orderId: order.id, idempotencyKey: `full-${order.id}` });
    await reversals.runOnce(h.app.orm.em.fork(), new Date());

    const rows = await transfersOf(order.id);
    expect(rows.map((t) => t.status)).toEqual([TransferStatus.REVERSED, TransferStatus.PERMANENTLY_FAILED]);
  });

  it('when code outside the state machine would assign a transfer status, then this check fails', () => {
    const root = join(__dirname, '../../../src');
    const allowed = new Set(['services/state/transition.ts', 'services/payouts/transfer-fields.ts']);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !allowed.has(relative(root, path)) && assignsTransferStatus(readFileSync(path, 'utf8')))
          offenders.push(relative(root, path));
      }
    };
    walk(root);

    expect(offenders).toEqual([]);
    expect(assignsTransferStatus('transfer.status = TransferStatus.REVERSED;')).toBe(true);
    expect(assignsTransferStatus("em.nativeUpdate(SellerTransfer, { id }, { status: 'REVERSED' })")).toBe(true);
    expect(assignsTransferStatus('em.assign(transfer, { status: TransferStatus.COMPLETED })')).toBe(true);
    expect(assignsTransferStatus('find(SellerTransfer, { status: TransferStatus.COMPLETED })')).toBe(false);
  });
});

/** Direct writes of a transfer's status: assignment, nativeUpdate of SellerTransfer, or em.assign with a TransferStatus. */
function assignsTransferStatus(source: string): boolean {
  return (
    /\.status\s*=(?!=)\s*TransferStatus\./.test(source) ||
    /nativeUpdate\(\s*SellerTransfer\b/.test(source) ||
    /\.assign\([^)]*status\s*:\s*TransferStatus\./.test(source) ||
    /createQueryBuilder\(\s*SellerTransfer\b[^;]*\.update\(/.test(source)
  );
}
