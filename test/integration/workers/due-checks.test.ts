import { composeAppDeps } from '../../../src/composition-root';
import { loadConfig } from '../../../src/config';
import type { EntityManager, Orm } from '../../../src/db/orm';
import {
  Order,
  OrderStatus,
  OutboxEvent,
  OutboxEventStatus,
  Payment,
  PaymentMethodKind,
  PaymentStatus,
  Refund,
  Reservation,
  SagaExecution,
  SellerTransfer,
  TransferStatus,
} from '../../../src/entities';
import type { AppDeps } from '../../../src/services/app-deps';
import { TokenService } from '../../../src/services/auth/tokens';
import { CHECKOUT_SAGA_KIND } from '../../../src/services/checkout/checkout-types';
import { systemClock } from '../../../src/services/shared/clock';
import { transition } from '../../../src/services/state/transition';
import { allWorkers } from '../../../src/services/workers';
import { buildProduct, buildSeller } from '../../factories/catalog.factory';
import { buildOrder } from '../../factories/order.factory';
import { openTestOrm, truncateAll } from '../../support/test-database';
import { TEST_AUTH_SECRET } from '../../support/test-app';
import { commitEvents } from '../outbox/support/commit-events';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const at = (from: Date, ms: number) => new Date(from.getTime() + ms);

/**
 * Each worker's due check against rows on either side of the moment the
 * worker's own filter would take them: a check that says no too long would
 * leave work undone, so the boundaries are the point.
 */
describe('worker due checks', () => {
  let orm: Orm;
  let deps: AppDeps;
  beforeAll(async () => {
    orm = await openTestOrm();
    const config = loadConfig({
      WORKERS: 'off',
      STRIPE_SECRET_KEY: 'sk_test_unused',
      STRIPE_WEBHOOK_SECRET: 'whsec_unused',
      STRIPE_API_BASE: 'http://127.0.0.1:9',
      SAGA_RECOVERY_GRACE: '30s',
    });
    deps = composeAppDeps(config, orm, new TokenService(TEST_AUTH_SECRET), { clock: systemClock });
  });
  beforeEach(() => truncateAll(orm));
  afterAll(() => orm.close(true));

  const em = (): EntityManager => orm.em.fork();
  const dueAt = async (name: string, now: Date): Promise<boolean> => {
    const worker = allWorkers(deps).find((w) => w.name === name);
    if (!worker?.due) throw new Error(`no worker ${name} with a due check`);
    const [due] = await deps.stores.work.whichAreDue(deps.db.unitOfWork(em()), [worker.due(now)]);
    return due;
  };
  const persisted = async <T extends object>(entity: T): Promise<T> => {
    await em().persistAndFlush(entity);
    return entity;
  };

  it('when an event is committed, then the relay is due from its next attempt time on', async () => {
    const [event] = await commitEvents(orm, 1);

    expect(await dueAt('outbox-relay', at(event.nextAttemptAt, -1))).toBe(false);
    expect(await dueAt('outbox-relay', event.nextAttemptAt)).toBe(true);
    await transition(em(), OutboxEvent, event.id, OutboxEventStatus.PENDING, OutboxEventStatus.DELIVERED, { deliveredAt: new Date() });
    expect(await dueAt('outbox-relay', at(event.nextAttemptAt, HOUR))).toBe(false);
  });

  it('when an event is dead, then the relay is never due for it', async () => {
    const [event] = await commitEvents(orm, 1);

    await transition(em(), OutboxEvent, event.id, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD);

    expect(await dueAt('outbox-relay', at(event.nextAttemptAt, HOUR))).toBe(false);
  });

  it('when a reservation is active, then expiry is due from its expiry time on', async () => {
    const {
      variants: [variant],
    } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 5 }] });
    const expiresAt = new Date('2026-05-01T10:00:00.000Z');
    await persisted(em().create(Reservation, { cartId: '00000000-0000-4000-8000-000000000001', variant: variant.id, quantity: 1, expiresAt }));

    expect(await dueAt('reservation-expiry', at(expiresAt, -1))).toBe(false);
    expect(await dueAt('reservation-expiry', expiresAt)).toBe(true);
  });

  it('when a checkout saga stopped moving, then recovery is due once the grace period is over', async () => {
    const updatedAt = new Date('2026-05-01T10:00:00.000Z');
    await persisted(em().create(SagaExecution, { kind: CHECKOUT_SAGA_KIND, key: 'cart:1', createdAt: updatedAt, updatedAt }));

    expect(await dueAt('saga-recovery', at(updatedAt, 30 * SECOND))).toBe(false);
    expect(await dueAt('saga-recovery', at(updatedAt, 30 * SECOND + 1))).toBe(true);
  });

  it('when a hosted session of a pending order expired, then the hosted sweeper is due, and not once the order moved on', async () => {
    const order = await buildOrder(em(), {
      status: OrderStatus.PENDING_PAYMENT,
      payments: [{ kind: PaymentMethodKind.HOSTED_CHECKOUT, status: PaymentStatus.PENDING, providerReference: 'cs_test_1' }],
    });
    const expiresAt = new Date('2026-05-01T10:00:00.000Z');
    await em().nativeUpdate(Payment, { orderId: order.id }, { expiresAt });

    expect(await dueAt('hosted-checkout-sweeper', expiresAt)).toBe(false);
    expect(await dueAt('hosted-checkout-sweeper', at(expiresAt, 1))).toBe(true);
    expect(await dueAt('card-payment-sweeper', at(expiresAt, HOUR))).toBe(false);
    await transition(em(), Order, order.id, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED);
    expect(await dueAt('hosted-checkout-sweeper', at(expiresAt, 1))).toBe(false);
  });

  it('when a card payment waits for 3-D Secure without a stored expiry, then the card sweeper is due after CARD_ACTION_TIMEOUT', async () => {
    const createdAt = new Date('2026-05-01T10:00:00.000Z');
    await buildOrder(em(), {
      status: OrderStatus.PENDING_PAYMENT,
      createdAt,
      payments: [{ kind: PaymentMethodKind.CARD, status: PaymentStatus.REQUIRES_ACTION, providerReference: 'pi_test_1' }],
    });

    expect(await dueAt('card-payment-sweeper', at(createdAt, HOUR))).toBe(false);
    expect(await dueAt('card-payment-sweeper', at(createdAt, HOUR + 1))).toBe(true);
  });

  it('when a refund is left pending with something to ask the provider, then the refunds worker is due after the grace period', async () => {
    const order = await buildOrder(em());
    const createdAt = new Date('2026-05-01T10:00:00.000Z');
    await persisted(
      em().create(Refund, {
        orderId: order.id,
        idempotencyKey: 'refund-1',
        amount: 500,
        providerAmount: 500,
        currency: 'EUR',
        reason: 'requested_by_customer',
        createdAt,
      }),
    );

    expect(await dueAt('pending-refunds', at(createdAt, 30 * SECOND - 1))).toBe(false);
    expect(await dueAt('pending-refunds', at(createdAt, 30 * SECOND))).toBe(true);
  });

  it('when an order is placed, then the planner is due until it is planned', async () => {
    const order = await buildOrder(em());

    expect(await dueAt('payout-planner', new Date())).toBe(true);
    await em().nativeUpdate(Order, { id: order.id }, { payoutsPlannedAt: new Date() });
    expect(await dueAt('payout-planner', new Date())).toBe(false);
  });

  it('when transfers wait, then the transfer worker is due for failed ones at their retry time and the reversal worker for pending reversals', async () => {
    const order = await buildOrder(em());
    const transfer = (status: TransferStatus, nextRetryAt: Date | null) =>
      buildSeller(em()).then((seller) =>
        persisted(em().create(SellerTransfer, { orderId: order.id, sellerId: seller.id, amount: 900, currency: 'EUR', status, nextRetryAt })),
      );
    const retryAt = new Date('2026-05-01T10:00:00.000Z');
    await transfer(TransferStatus.FAILED, retryAt);

    expect(await dueAt('seller-transfers', at(retryAt, -1))).toBe(false);
    expect(await dueAt('seller-transfers', retryAt)).toBe(true);
    expect(await dueAt('transfer-reversals', at(retryAt, HOUR))).toBe(false);
    await transfer(TransferStatus.REVERSAL_PENDING, null);
    expect(await dueAt('transfer-reversals', retryAt)).toBe(true);
    expect(await dueAt('seller-transfers', at(retryAt, -1))).toBe(false);
  });
});
