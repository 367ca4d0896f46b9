import { Order, OrderStatus, SagaExecution, SagaStatus } from '../../../src/entities';
import type { Clock } from '../../../src/services/shared/clock';
import { usePaymentsApp } from '../../support/payments-app';
import { assertCheckoutInvariants } from '../../support/invariants';
import { crashedCardCheckout } from './support/crashed-checkout';

const RECOVER = 'mutation($id: ID!) { recoverSaga(input: { id: $id }) { id status } }';
const GRACE_MS = 30_000;

const clock: Clock & { aheadMs: number } = { aheadMs: 0, now: () => new Date(Date.now() + clock.aheadMs) };

describe('recoverSaga when Stripe cannot be asked', () => {
  const h = usePaymentsApp({ env: { SAGA_RECOVERY_GRACE: '30s' }, start: { clock } });
  beforeEach(() => {
    clock.aheadMs = 0;
  });

  it('when the payment lookup fails, then PAYMENT_PROVIDER_UNAVAILABLE answers, the order stays pending, and a later recovery compensates', async () => {
    const checkout = await crashedCardCheckout(h.app);
    const orderId = (checkout.row.data as { input: { orderId: string } }).input.orderId;
    const token = await h.app.adminToken();
    h.stripe.emulator.faults.add({ method: 'GET', path: '/v1/payment_intents/search', times: 1_000, action: { kind: 'status', status: 500 } });
    clock.aheadMs = GRACE_MS + 1_000;

    const unavailable = await h.app.gql(RECOVER, { id: checkout.row.id }, { token });
    const meanwhile = {
      saga: (await h.app.orm.em.fork().findOneOrFail(SagaExecution, { id: checkout.row.id })).status,
      order: (await h.app.orm.em.fork().findOneOrFail(Order, { id: orderId })).status,
    };
    h.stripe.emulator.faults.clear();
    // The failed attempt leased the saga like a recovery round: it is taken again one grace period later.
    clock.aheadMs = 2 * (GRACE_MS + 1_000);
    const recovered = await h.app.gql(RECOVER, { id: checkout.row.id }, { token });

    expect(unavailable.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    expect(meanwhile).toEqual({ saga: SagaStatus.RUNNING, order: OrderStatus.PENDING_PAYMENT });
    expect(recovered.data.recoverSaga).toEqual({ id: checkout.row.id, status: 'COMPENSATED' });
    expect((await h.app.orm.em.fork().findOneOrFail(Order, { id: orderId })).status).toBe(OrderStatus.CANCELLED);
    await assertCheckoutInvariants(h.app.orm);
  });
});
