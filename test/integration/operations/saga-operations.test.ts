import { Cart, Order, OutboxEvent, Reservation, SagaExecution, SagaStatus, Voucher, VoucherRedemption } from '../../../src/entities';
import type { Clock } from '../../../src/services/shared/clock';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { availableUnits, useCheckoutApp } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { crashedCardCheckout, type CrashedCheckout } from './support/crashed-checkout';

const SAGA_FIELDS = 'id kind status stepReached lastError orderId';
const STUCK = `{ sagas(stuck: true) { nodes { ${SAGA_FIELDS} } } }`;
const RECOVER = `mutation($id: ID!) { recoverSaga(input: { id: $id }) { ${SAGA_FIELDS} } }`;

/** The app's clock runs `aheadMs` in front of the wall clock: sagas age past their grace period without waiting. */
const clock: Clock & { aheadMs: number } = { aheadMs: 0, now: () => new Date(Date.now() + clock.aheadMs) };

describe('recoverSaga and sagas over GraphQL', () => {
  const getApp = useCheckoutApp({ SAGA_RECOVERY_GRACE: '30s' }, { clock });
  const em = () => getApp().orm.em.fork();
  beforeEach(() => {
    clock.aheadMs = 0;
  });

  const crashedCheckout = () => crashedCardCheckout(getApp());

  /** What recovery leaves behind for one checkout, without its ids. */
  async function endState(checkout: CrashedCheckout) {
    const saga = await em().findOneOrFail(SagaExecution, { id: checkout.row.id });
    const orderId = (saga.data as { input: { orderId: string } }).input.orderId;
    const order = await em().findOneOrFail(Order, { id: orderId });
    return {
      saga: [saga.status, saga.stepsCompleted, saga.lastError],
      order: [order.status, order.cancelReason],
      cart: (await em().findOneOrFail(Cart, { id: checkout.cartId })).status,
      reservations: (await em().find(Reservation, { cartId: checkout.cartId })).map((r) => r.status),
      redemptions: (await em().find(VoucherRedemption, { voucher: checkout.voucherId })).map((r) => r.status),
      voucherCount: (await em().findOneOrFail(Voucher, { id: checkout.voucherId })).redemptionCount,
      available: await availableUnits(getApp().orm, checkout.variantId),
      events: (await em().find(OutboxEvent, { aggregateId: { $in: [orderId, checkout.cartId] } })).map((e) => e.type).sort(),
    };
  }

  it('when a saga left RUNNING by a crash is past its grace period, then it is listed as stuck and recoverSaga ends it as the recovery worker would', async () => {
    const byOperator = await crashedCheckout();
    const byWorker = await crashedCheckout();
    const token = await getApp().adminToken();
    clock.aheadMs = 31_000;

    const stuck = await getApp().gql(STUCK, {}, { token });
    const recovered = await getApp().gql(RECOVER, { id: byOperator.row.id }, { token });
    const workerEnded = await recoverStaleSagas(em(), getApp().tillgate.deps, clock.now());

    expect(stuck.data.sagas.nodes.map((s: { id: string }) => s.id).sort()).toEqual([byOperator.row.id, byWorker.row.id].sort());
    expect(stuck.data.sagas.nodes[0]).toMatchObject({ kind: 'confirm-checkout', status: 'RUNNING', stepReached: 5, orderId: expect.any(String) });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data.recoverSaga).toMatchObject({
      id: byOperator.row.id,
      status: 'COMPENSATED',
      lastError: expect.stringContaining('recovered after a crash'),
    });
    expect(workerEnded).toBe(1);
    const operatorEnd = await endState(byOperator);
    expect(operatorEnd).toEqual(await endState(byWorker));
    expect(operatorEnd).toMatchObject({ saga: [SagaStatus.COMPENSATED, 5, expect.any(String)], cart: 'OPEN', voucherCount: 0, available: 3 });
    await assertCheckoutInvariants(getApp().orm);
  });

  it('when a crashed saga is still within its grace period, or has ended, then recoverSaga is refused and changes nothing', async () => {
    const checkout = await crashedCheckout();
    const token = await getApp().adminToken();
    const before = await endState(checkout);

    const tooEarly = await getApp().gql(RECOVER, { id: checkout.row.id }, { token });
    const notStuckYet = await getApp().gql(STUCK, {}, { token });
    const unchanged = await endState(checkout);
    clock.aheadMs = 31_000;
    await getApp().gql(RECOVER, { id: checkout.row.id }, { token });
    const ended = await endState(checkout);
    const again = await getApp().gql(RECOVER, { id: checkout.row.id }, { token });
    const unknown = await getApp().gql(RECOVER, { id: '00000000-0000-4000-8000-000000000000' }, { token });

    expect(tooEarly.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'INVALID_STATE_TRANSITION' });
    expect(notStuckYet.data.sagas.nodes).toEqual([]);
    expect(unchanged).toEqual(before);
    expect(before.saga[0]).toBe(SagaStatus.RUNNING);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'INVALID_STATE_TRANSITION' });
    expect(await endState(checkout)).toEqual(ended);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND' });
  });

  it('when sagas are listed by status, then only that status comes back, newest first, a page at a time', async () => {
    const first = await crashedCheckout();
    const second = await crashedCheckout();
    const token = await getApp().adminToken();

    const page1 = await getApp().gql('{ sagas(status: RUNNING, first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }', {}, { token });
    const after = page1.data.sagas.pageInfo.endCursor;
    const page2 = await getApp().gql(
      'query($after: String) { sagas(status: RUNNING, first: 1, after: $after) { nodes { id } pageInfo { hasNextPage } } }',
      { after },
      { token },
    );
    const completed = await getApp().gql('{ sagas(status: COMPLETED) { nodes { id } } }', {}, { token });
    const badCursor = await getApp().gql('{ sagas(after: "not-a-cursor") { nodes { id } } }', {}, { token });

    const newestFirst = [first.row, second.row].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    expect([...page1.data.sagas.nodes, ...page2.data.sagas.nodes].map((s: { id: string }) => s.id)).toEqual(newestFirst);
    expect([page1.data.sagas.pageInfo.hasNextPage, page2.data.sagas.pageInfo.hasNextPage]).toEqual([true, false]);
    expect(completed.data.sagas.nodes).toEqual([]);
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'after' });
  });
});
