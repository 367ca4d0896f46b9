import type { EntityManager } from '../../../src/db/orm';
import { isPostgres } from '../../../src/db/orm';
import { Order, OutboxEvent, PaymentMethodKind, SellerTransfer, TransferStatus } from '../../../src/entities';
import { SellerTransferWorker } from '../../../src/services/workers/seller-transfer.worker';
import { PLANNING_QUERY } from '../../../src/db/stores/payout-store';
import { buildProduct, buildSeller } from '../../factories/catalog.factory';
import { buildReadyCart, confirmViaApi } from '../../factories/checkout.factory';
import { buildOrder } from '../../factories/order.factory';
import { buildPaidCardOrder, sellerLines } from '../../factories/payments.factory';
import { usePaymentsApp } from '../../support/payments-app';

const MINUTE = 60_000;

describe('payout planning', () => {
  const h = usePaymentsApp({ env: { PLATFORM_FEE_BPS: '1000' } });
  let em: EntityManager;
  let transfers: SellerTransferWorker;

  beforeAll(() => {
    const payments = h.app.tillgate.deps.payments!;
    transfers = new SellerTransferWorker(h.app.tillgate.deps, payments, {
      platformFeeBps: 1_000,
      maxRetries: 3,
      backoffBaseMs: MINUTE,
      backoffMaxMs: 3 * MINUTE,
    });
  });
  beforeEach(() => {
    em = h.app.orm.em.fork();
  });

  const announce = async (orderId: string) => {
    em.create(OutboxEvent, { type: 'order.placed', aggregateId: orderId, payload: { orderId } });
    await em.flush();
  };
  const transferCreates = () => h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers');

  it('when 50 older card orders owe their sellers nothing (100% voucher on the seller lines), then a newer order is still planned and paid', async () => {
    const seller = await buildSeller(em);
    const {
      variants: [item],
    } = await buildProduct(em, { seller, variants: [{ price: 2_000, currency: 'EUR', stock: 1_000 }] });
    const placedEarlier = new Date(Date.now() - 60 * MINUTE);
    const freebies: string[] = [];
    for (let i = 0; i < 50; i++) {
      const order = await buildOrder(em, {
        createdAt: new Date(placedEarlier.getTime() + i),
        lines: [{ variant: item, sellerId: seller.id, discount: 2_000 }],
        payments: [],
      });
      order.paymentKind = PaymentMethodKind.CARD;
      await announce(order.id);
      freebies.push(order.id);
    }
    const lines = await sellerLines(em, [{ seller: await buildSeller(em), price: 3_000 }]);
    const { order: newer } = await buildPaidCardOrder(em, h.stripe.stripe, { lines });
    await announce(newer.id);

    await transfers.runOnce(h.app.orm.em.fork(), new Date());
    await transfers.runOnce(h.app.orm.em.fork(), new Date());

    const paid = await em.fork().find(SellerTransfer, {});
    expect(paid.map((t) => [t.orderId, t.amount, t.status])).toEqual([[newer.id, 2_700, TransferStatus.COMPLETED]]);
    const planned = await em.fork().find(Order, { id: { $in: [...freebies, newer.id] } }, { fields: ['id', 'payoutsPlannedAt'] });
    expect(planned.filter((o) => o.payoutsPlannedAt === null)).toEqual([]);
    expect(transferCreates()).toHaveLength(1);
  });

  it('when the planner looks for work, then it reads orders and outbox events through their indexes, not by scanning them', async () => {
    const plan = await explainPlanningQuery(em);

    expect(plan).toContain('orders_payouts_planned_at_placed_at_id_index');
    expect(plan).toContain('outbox_events_type_aggregate_id_index');
    expect(plan).not.toMatch(/Seq Scan on (orders|outbox_events)|^SCAN (o|e)\b/m);
  });

  it('when a card order with two sellers is placed through confirmCheckout, then its order.placed event drives the planner to two transfers net of the fee', async () => {
    const [alice, bob] = [await buildSeller(em), await buildSeller(em)];
    const {
      variants: [fromAlice],
    } = await buildProduct(em, { seller: alice, variants: [{ price: 3_000, currency: 'EUR', stock: 5 }] });
    const {
      variants: [fromBob],
    } = await buildProduct(em, { seller: bob, variants: [{ price: 1_999, currency: 'EUR', stock: 5 }] });
    const {
      variants: [ours],
    } = await buildProduct(em, { variants: [{ price: 1_000, currency: 'EUR', stock: 5 }] });
    const ready = await buildReadyCart(em, {
      variants: [
        { variant: fromAlice, quantity: 2 },
        { variant: fromBob, quantity: 1 },
        { variant: ours, quantity: 1 },
      ],
    });

    const answer = await confirmViaApi(h.app, {
      cartId: ready.cart.id,
      versionKey: ready.versionKey,
      paymentMethod: 'CARD',
      stripePaymentMethodId: 'pm_card_visa',
    });
    const announced = await em.fork().count(OutboxEvent, { type: 'order.placed', aggregateId: answer.order?.id });
    await transfers.runOnce(h.app.orm.em.fork(), new Date());

    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' }, payment: { status: 'CAPTURED' } });
    expect(announced).toBe(1);
    const rows = await em.fork().find(SellerTransfer, { orderId: answer.order.id }, { orderBy: { amount: 'desc' } });
    expect(rows.map((t) => [t.sellerId, t.amount, t.status])).toEqual([
      [alice.id, 5_400, TransferStatus.COMPLETED],
      [bob.id, 1_799, TransferStatus.COMPLETED],
    ]);
    const [intent] = h.stripe.emulator.createdObjects('payment_intent');
    expect(intent.metadata.order_id).toBe(answer.order.id);
    expect(
      transferCreates()
        .map((r) => r.idempotencyKey)
        .sort(),
    ).toEqual(rows.map((t) => t.id).sort());
    const atStripe = h.stripe.emulator.createdObjects('transfer');
    expect(atStripe.map((t) => [t.destination, t.amount, t.transfer_group]).sort()).toEqual(
      [
        [alice.stripeAccountId, 5_400, answer.order.id],
        [bob.stripeAccountId, 1_799, answer.order.id],
      ].sort(),
    );
  });
});

/** The planning query's plan as text, with sequential scans priced out on PostgreSQL so only a missing index can explain one. */
async function explainPlanningQuery(em: EntityManager): Promise<string> {
  if (!isPostgres(em)) {
    const rows: { detail: string }[] = await em.getConnection().execute(`explain query plan ${PLANNING_QUERY}`);
    return rows.map((row) => row.detail).join('\n');
  }
  return em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await tx.getConnection().execute('set local enable_seqscan = off', [], 'run', tx.getTransactionContext());
    const rows: { 'QUERY PLAN': string }[] = await tx.getConnection().execute(`explain ${PLANNING_QUERY}`, [], 'all', tx.getTransactionContext());
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
