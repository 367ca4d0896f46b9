import { loadConfig } from '../../../src/config';
import { Database } from '../../../src/db/database';
import type { Orm } from '../../../src/db/orm';
import { createStores, type Stores } from '../../../src/db/stores';
import {
  OutboxEvent,
  OutboxEventStatus,
  PaymentMethodKind,
  PaymentStatus,
  RefundStatus,
  SagaExecution,
  SagaStatus,
  TransferStatus,
} from '../../../src/entities';
import { registry } from '../../../src/observability/metrics';
import { refreshOpsGauges } from '../../../src/observability/ops-gauges';
import { buildSeller } from '../../factories/catalog.factory';
import { buildOrder } from '../../factories/order.factory';
import { samplesOf } from '../../support/metrics-text';
import { openTestOrm, truncateAll } from '../../support/test-database';

const MINUTE = 60_000;

/** The database gauges of /metrics: what an operator's alerts read (ops/prometheus/alerts.yml). */
describe('ops gauges', () => {
  const statements: string[] = [];
  let counting = false;
  let orm: Orm;
  let stores: Stores;
  beforeAll(async () => {
    orm = await openTestOrm({ onQuery: (sql) => counting && statements.push(sql) });
    stores = createStores(new Database(orm));
  });
  beforeEach(async () => {
    await truncateAll(orm);
    statements.length = 0;
  });
  afterAll(() => orm.close(true));

  const config = loadConfig({ CARD_ACTION_TIMEOUT: '5m', SAGA_RECOVERY_GRACE: '30s' });
  /** Refreshes as a worker would, `laterMs` after the rows were written, counting the statements it sends. */
  const refreshAfter = async (laterMs: number) => {
    counting = true;
    try {
      await refreshOpsGauges({ orm, db: stores.db, stores, config, clock: { now: () => new Date(Date.now() + laterMs) } });
    } finally {
      counting = false;
    }
    return registry.metrics();
  };
  const value = (text: string, name: string, labels = '') => samplesOf(text, name).get(labels);

  it('when nothing waits, then every gauge reads 0, each status included, from one statement', async () => {
    const text = await refreshAfter(0);
    expect(statements).toHaveLength(1);
    expect(value(text, 'outbox_lag_seconds')).toBe(0);
    expect(value(text, 'outbox_dead_letters')).toBe(0);
    expect(value(text, 'payments_requires_action_stale')).toBe(0);
    expect(value(text, 'refunds_pending_oldest_seconds')).toBe(0);
    expect(value(text, 'seller_transfers', '{status="PERMANENTLY_FAILED"}')).toBe(0);
    expect(value(text, 'sagas', '{status="STUCK"}')).toBe(0);
  });

  it('when an event waits, a card waits for 3-D Secure past its timeout, a refund is pending, a transfer failed for good and a saga is stuck, then the gauges show each, from one statement', async () => {
    const em = orm.em.fork();
    em.create(OutboxEvent, { type: 'order.placed', aggregateId: 'order-1', payload: {} });
    em.create(OutboxEvent, { type: 'order.placed', aggregateId: 'order-2', payload: {}, deliveredAt: new Date(), status: OutboxEventStatus.DELIVERED });
    em.create(OutboxEvent, { type: 'order.placed', aggregateId: 'order-3', payload: {}, attempts: 10, status: OutboxEventStatus.DEAD });
    await em.flush();
    const [seller, paidSeller] = [await buildSeller(em), await buildSeller(em)];
    await buildOrder(em, {
      payments: [{ kind: PaymentMethodKind.CARD, status: PaymentStatus.REQUIRES_ACTION }],
      refunds: [{ amount: 100, status: RefundStatus.PENDING }],
      sellerTransfers: [
        { seller, amount: 500, status: TransferStatus.PERMANENTLY_FAILED },
        { seller: paidSeller, amount: 300, status: TransferStatus.COMPLETED },
      ],
    });
    em.create(SagaExecution, { kind: 'confirm-checkout', key: 'stuck', status: SagaStatus.RUNNING, stepsCompleted: 2, data: {} });
    em.create(SagaExecution, { kind: 'confirm-checkout', key: 'failed', status: SagaStatus.FAILED, stepsCompleted: 2, data: {} });
    await em.flush();

    const text = await refreshAfter(10 * MINUTE);

    expect(statements).toHaveLength(1);
    expect(value(text, 'outbox_lag_seconds')).toBeGreaterThanOrEqual(600);
    expect(value(text, 'outbox_lag_seconds')).toBeLessThan(700);
    expect(value(text, 'outbox_dead_letters')).toBe(1);
    expect(value(text, 'payments_requires_action_stale')).toBe(1);
    expect(value(text, 'refunds_pending_oldest_seconds')).toBeGreaterThanOrEqual(600);
    expect(value(text, 'seller_transfers', '{status="PERMANENTLY_FAILED"}')).toBe(1);
    expect(value(text, 'seller_transfers', '{status="PENDING"}')).toBe(0);
    expect(value(text, 'sagas', '{status="STUCK"}')).toBe(1);
    expect(value(text, 'sagas', '{status="RUNNING"}')).toBe(0);
    expect(value(text, 'sagas', '{status="FAILED"}')).toBe(1);
    expect(value(text, 'ops_gauges_refreshed_timestamp_seconds')).toBeGreaterThan(0);
  });

  it('when the rows are fresh, then a card inside its timeout and a saga inside its grace period are not counted as stale or stuck', async () => {
    const em = orm.em.fork();
    await buildOrder(em, { payments: [{ kind: PaymentMethodKind.CARD, status: PaymentStatus.REQUIRES_ACTION }] });
    em.create(SagaExecution, { kind: 'confirm-checkout', key: 'fresh', status: SagaStatus.RUNNING, stepsCompleted: 1, data: {} });
    await em.flush();

    const text = await refreshAfter(0);

    expect(value(text, 'payments_requires_action_stale')).toBe(0);
    expect(value(text, 'sagas', '{status="STUCK"}')).toBe(0);
    expect(value(text, 'sagas', '{status="RUNNING"}')).toBe(1);
  });
});
