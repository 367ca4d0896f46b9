import { OutboxEvent, SellerTransfer, TransferStatus } from '../../../src/entities';
import { SellerTransferWorker } from '../../../src/services/workers/seller-transfer.worker';
import { buildSeller } from '../../factories/catalog.factory';
import { buildPaidCardOrder, sellerLines } from '../../factories/payments.factory';
import { usePaymentsApp } from '../../support/payments-app';

const MINUTE = 60_000;
const RETRY = 'mutation($id: ID!) { retrySellerTransfer(input: { id: $id }) { id status retryCount nextRetryAt stripeTransferId seller { id } } }';

describe('retrySellerTransfer and sellerTransfers over GraphQL', () => {
  const h = usePaymentsApp({ env: { PLATFORM_FEE_BPS: '1000' } });
  const em = () => h.app.orm.em.fork();
  let worker: SellerTransferWorker;
  beforeAll(() => {
    worker = new SellerTransferWorker(h.app.tillgate.deps, h.app.tillgate.deps.payments!, {
      platformFeeBps: 1_000,
      maxRetries: 1,
      backoffBaseMs: MINUTE,
      backoffMaxMs: MINUTE,
    });
  });

  /** A placed card order owing one seller, whose transfer Stripe refused until it gave up: PERMANENTLY_FAILED. */
  async function permanentlyFailedTransfer() {
    const seller = await buildSeller(em());
    const fork = em();
    const { order } = await buildPaidCardOrder(fork, h.stripe.stripe, { lines: await sellerLines(fork, [{ seller, price: 3_000 }]) });
    fork.create(OutboxEvent, { type: 'order.placed', aggregateId: order.id, payload: { orderId: order.id } });
    await fork.flush();
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/transfers', times: 1_000, action: { kind: 'status', status: 500 } });
    let now = new Date(Date.now() + MINUTE);
    for (let round = 0; round < 2; round++) {
      await worker.runOnce(em(), now);
      now = new Date(now.getTime() + 2 * MINUTE);
    }
    h.stripe.emulator.faults.clear();
    const [transfer] = await em().find(SellerTransfer, { orderId: order.id });
    return { transfer, seller, now };
  }

  it('when a PERMANENTLY_FAILED transfer is retried, then it is listed, made due, and the payout worker completes it with the same idempotency key', async () => {
    const { transfer, seller, now } = await permanentlyFailedTransfer();
    expect(transfer.status).toBe(TransferStatus.PERMANENTLY_FAILED);
    const token = await h.app.adminToken();

    const listed = await h.app.gql('{ sellerTransfers { id status } }', {}, { token });
    const retried = await h.app.gql(RETRY, { id: transfer.id }, { token });
    const paid = await worker.payDue(em(), now);

    expect(listed.data.sellerTransfers).toEqual([{ id: transfer.id, status: 'PERMANENTLY_FAILED' }]);
    expect(retried.errors).toBeUndefined();
    expect(retried.data.retrySellerTransfer).toMatchObject({
      id: transfer.id,
      status: 'PENDING',
      retryCount: 0,
      stripeTransferId: null,
      seller: { id: seller.id },
    });
    expect(paid).toBe(1);
    const done = await em().findOneOrFail(SellerTransfer, { id: transfer.id });
    expect(done.status).toBe(TransferStatus.COMPLETED);
    const keys = h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers').map((r) => r.idempotencyKey);
    expect(new Set(keys)).toEqual(new Set([transfer.id]));
    expect(h.stripe.emulator.createdObjects('transfer').map((t: { id: string }) => t.id)).toEqual([done.stripeTransferId]);
  });

  it('when a completed transfer or an unknown id is retried, then a typed error answers and nothing changes', async () => {
    const { transfer, now } = await permanentlyFailedTransfer();
    const token = await h.app.adminToken();
    await h.app.gql(RETRY, { id: transfer.id }, { token });
    await worker.payDue(em(), now);
    const completed = await em().findOneOrFail(SellerTransfer, { id: transfer.id });

    const refused = await h.app.gql(RETRY, { id: transfer.id }, { token });
    const unknown = await h.app.gql(RETRY, { id: '00000000-0000-4000-8000-000000000000' }, { token });

    expect(completed.status).toBe(TransferStatus.COMPLETED);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'INVALID_STATE_TRANSITION', field: 'id' });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND' });
    expect(await em().findOneOrFail(SellerTransfer, { id: transfer.id })).toEqual(completed);
  });
});
