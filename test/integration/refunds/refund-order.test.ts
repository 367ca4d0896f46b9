import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type Stripe from 'stripe';
import type { EntityManager } from '../../../src/db/orm';
import { CreditLedgerEntry, OrderStatus, PaymentMethodKind, RedemptionStatus, Refund, VoucherRedemption } from '../../../src/entities';
import { settlePendingRefunds } from '../../../src/services/workers/pending-refunds.worker';
import { buildOrder } from '../../factories/order.factory';
import { buildPaidCardOrder, buildPaidOfflineOrder, consumeVoucherFor } from '../../factories/payments.factory';
import { usePaymentsApp } from '../../support/payments-app';
import { orderMoney, refundOrder } from './refund-api';

describe('refundOrder', () => {
  const h = usePaymentsApp();
  let em: EntityManager;
  let keySeq = 0;
  const key = () => `refund-key-${Date.now()}-${++keySeq}`;
  const stripeRefundCalls = () => h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
  const stripeRefunds = (): Stripe.Refund[] => h.stripe.emulator.createdObjects('refund');

  beforeEach(() => {
    em = h.app.orm.em.fork();
  });

  it('when a card order is refunded in part and then the rest, then it is REFUNDED and refunded equals what was captured', async () => {
    const { order, paymentIntentId } = await buildPaidCardOrder(em, h.stripe.stripe);
    const captured = order.amountDue;

    const first = await refundOrder(h.app, { orderId: order.id, amount: 600, idempotencyKey: key() });
    const afterFirst = await orderMoney(h.app, order.id);
    const rest = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });
    const afterRest = await orderMoney(h.app, order.id);

    expect(first).toMatchObject({ __typename: 'Refund', status: 'SUCCEEDED', amount: { amount: 600, currency: 'EUR' } });
    expect(first.providerRefundId).toMatch(/^re_/);
    expect(afterFirst.status).toBe('PARTIALLY_REFUNDED');
    expect(afterFirst.totals.refunded.amount).toBe(600);
    expect(rest).toMatchObject({ status: 'SUCCEEDED', amount: { amount: captured - 600 } });
    expect(afterRest.status).toBe('REFUNDED');
    expect(afterRest.totals.refunded.amount).toBe(captured);
    expect(stripeRefunds().map((r) => [r.payment_intent, r.amount])).toEqual([
      [paymentIntentId, 600],
      [paymentIntentId, captured - 600],
    ]);
    expect(stripeRefundCalls().map((r) => r.idempotencyKey)).toEqual([first.id, rest.id]);
  });

  it('when the same key is sent twice with the same input, then the same refund comes back and Stripe is called once', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    const idempotencyKey = key();

    const first = await refundOrder(h.app, { orderId: order.id, amount: 500, idempotencyKey });
    const again = await refundOrder(h.app, { orderId: order.id, amount: 500, idempotencyKey });
    const omitted = await refundOrder(h.app, { orderId: order.id, idempotencyKey });

    expect(again).toEqual(first);
    expect(omitted).toEqual(first);
    expect(stripeRefundCalls()).toHaveLength(1);
    expect(await em.fork().count(Refund, { orderId: order.id })).toBe(1);
  });

  it('when the same key comes with another amount or another order, then IDEMPOTENCY_KEY_REUSED and nothing is refunded', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    const { order: other } = await buildPaidCardOrder(em, h.stripe.stripe);
    const idempotencyKey = key();
    await refundOrder(h.app, { orderId: order.id, amount: 500, idempotencyKey });

    const otherAmount = await refundOrder(h.app, { orderId: order.id, amount: 501, idempotencyKey });
    const otherOrder = await refundOrder(h.app, { orderId: other.id, amount: 500, idempotencyKey });

    expect(otherAmount).toMatchObject({ __typename: 'UserError', errorCode: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(otherOrder).toMatchObject({ __typename: 'UserError', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
    expect(stripeRefundCalls()).toHaveLength(1);
    expect((await orderMoney(h.app, other.id)).refunds).toEqual([]);
  });

  it('when more than the refundable amount is asked, then REFUND_EXCEEDS_REFUNDABLE and neither a refund row nor a Stripe call', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    await refundOrder(h.app, { orderId: order.id, amount: 1_000, idempotencyKey: key() });

    const tooMuch = await refundOrder(h.app, { orderId: order.id, amount: order.amountDue - 1_000 + 1, idempotencyKey: key() });

    expect(tooMuch).toMatchObject({ __typename: 'UserError', errorCode: 'REFUND_EXCEEDS_REFUNDABLE', field: 'amount' });
    expect(await em.fork().count(Refund, { orderId: order.id })).toBe(1);
    expect(stripeRefundCalls()).toHaveLength(1);
  });

  it('when Stripe is down during phase 2, then the refund stays PENDING and the retry worker settles it with one Stripe refund', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    // The first attempt is applied at Stripe but its answer is lost; the client's retries then meet an outage.
    h.stripe.emulator.faults.add({ path: '/v1/refunds', action: { kind: 'applyThenFail', status: 500 } });
    h.stripe.emulator.faults.add({ path: '/v1/refunds', times: 5, action: { kind: 'status', status: 503 } });

    const pending = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });
    const whilePending = await orderMoney(h.app, order.id);
    const blocked = await refundOrder(h.app, { orderId: order.id, amount: 100, idempotencyKey: key() });
    h.stripe.emulator.faults.clear();
    const later = new Date(Date.now() + h.app.config.sagaRecoveryGraceMs + 1_000);
    const settled = await settlePendingRefunds(h.app.orm.em.fork(), h.app.tillgate.deps.payments!, later, h.app.config.sagaRecoveryGraceMs);
    const after = await orderMoney(h.app, order.id);

    expect(pending).toMatchObject({ status: 'PENDING', providerRefundId: null });
    expect(whilePending.totals.refunded.amount).toBe(0);
    expect(blocked).toMatchObject({ errorCode: 'REFUND_EXCEEDS_REFUNDABLE' });
    expect(settled).toBe(1);
    expect(after.refunds).toEqual([expect.objectContaining({ id: pending.id, status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) })]);
    expect(after.status).toBe('REFUNDED');
    expect(stripeRefunds()).toHaveLength(1);
    expect(new Set(stripeRefundCalls().map((r) => r.idempotencyKey))).toEqual(new Set([pending.id]));
  });

  it('when the client retries the same key after an outage, then that retry settles the refund without a second Stripe refund', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    const idempotencyKey = key();
    h.stripe.emulator.faults.add({ path: '/v1/refunds', times: 3, action: { kind: 'status', status: 503 } });

    const pending = await refundOrder(h.app, { orderId: order.id, amount: 700, idempotencyKey });
    const retried = await refundOrder(h.app, { orderId: order.id, amount: 700, idempotencyKey });

    expect(pending.status).toBe('PENDING');
    expect(retried).toMatchObject({ id: pending.id, status: 'SUCCEEDED' });
    expect(stripeRefunds().map((r) => r.amount)).toEqual([700]);
  });

  it('when Stripe refuses the refund for good, then it is FAILED and its amount is refundable again', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    h.stripe.emulator.faults.add({
      path: '/v1/refunds',
      action: { kind: 'status', status: 400, error: { type: 'invalid_request_error', code: 'charge_disputed', message: 'disputed' } },
    });

    const failed = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });
    const retry = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });

    expect(failed.status).toBe('FAILED');
    expect(retry).toMatchObject({ status: 'SUCCEEDED', amount: { amount: order.amountDue } });
    expect((await orderMoney(h.app, order.id)).totals.refunded.amount).toBe(order.amountDue);
  });

  it('when Stripe answers that the charge is already refunded, then the refund counts as SUCCEEDED', async () => {
    const { order, paymentIntentId } = await buildPaidCardOrder(em, h.stripe.stripe);
    await h.stripe.stripe.refunds.create({ payment_intent: paymentIntentId });

    const refund = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });

    expect(refund).toMatchObject({ status: 'SUCCEEDED', providerRefundId: null });
    expect((await orderMoney(h.app, order.id)).status).toBe('REFUNDED');
  });

  it('when a cash-on-delivery or store-credit order is refunded, then the money becomes store credit and Stripe is not called', async () => {
    const buyer = await h.app.customer();
    const { order: cod } = await buildPaidOfflineOrder(em, PaymentMethodKind.CASH_ON_DELIVERY, { customerId: buyer.id });
    const { order: credit } = await buildPaidOfflineOrder(em, PaymentMethodKind.STORE_CREDIT, { customerId: buyer.id });

    const codRefund = await refundOrder(h.app, { orderId: cod.id, amount: 300, idempotencyKey: key() });
    const creditRefund = await refundOrder(h.app, { orderId: credit.id, idempotencyKey: key() });

    expect(codRefund).toMatchObject({ status: 'SUCCEEDED', amount: { amount: 300 }, providerRefundId: null });
    expect(creditRefund).toMatchObject({ status: 'SUCCEEDED', amount: { amount: credit.total } });
    const grants = await em.fork().find(CreditLedgerEntry, { entryKey: { $like: 'refund:%' } }, { orderBy: { amount: 'asc' } });
    expect(grants.map((g) => [g.entryKey, g.amount, g.customerId])).toEqual(
      [
        [`refund:${codRefund.id}`, 300, buyer.id],
        [`refund:${creditRefund.id}`, credit.total, buyer.id],
      ].sort((a, b) => (a[1] as number) - (b[1] as number)),
    );
    expect((await orderMoney(h.app, credit.id)).status).toBe('REFUNDED');
    expect(stripeRefundCalls()).toHaveLength(0);
  });

  it('when a mixed card and credit order is refunded, then the card part goes back first and only the rest becomes credit', async () => {
    const buyer = await h.app.customer();
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe, { customerId: buyer.id, creditApplied: 400 });
    const cardPart = order.amountDue;

    const first = await refundOrder(h.app, { orderId: order.id, amount: cardPart - 100, idempotencyKey: key() });
    const second = await refundOrder(h.app, { orderId: order.id, amount: 300, idempotencyKey: key() });

    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(stripeRefunds().map((r) => r.amount)).toEqual([cardPart - 100, 100]);
    const grant = await em.fork().findOneOrFail(CreditLedgerEntry, { entryKey: `refund:${second.id}` });
    expect(grant.amount).toBe(200);
    const after = await orderMoney(h.app, order.id);
    expect(after.totals.refunded.amount).toBe(cardPart + 200);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
  });

  it('when an order is fully refunded, then its voucher redemption stays CONSUMED (a refund is not a cancellation)', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    const redemption = await consumeVoucherFor(em, order);

    const refund = await refundOrder(h.app, { orderId: order.id, idempotencyKey: key() });

    expect(refund.status).toBe('SUCCEEDED');
    const reloaded = await em.fork().findOneOrFail(VoucherRedemption, { id: redemption.id }, { populate: ['voucher'] });
    expect(reloaded.status).toBe(RedemptionStatus.CONSUMED);
    expect(reloaded.voucher.redemptionCount).toBe(1);
  });

  it('when a second refund row names a Stripe refund id already booked, then the partial unique index refuses it (rows without one are free)', async () => {
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe);
    const book = async (providerRefundId: string | null) => {
      const fork = em.fork();
      fork.create(Refund, {
        orderId: order.id,
        idempotencyKey: key(),
        amount: 100,
        providerAmount: 100,
        currency: 'EUR',
        reason: 'requested_by_customer',
        providerRefundId,
      });
      await fork.flush();
    };
    await book('re_booked_once');
    await book(null);
    await book(null);

    const duplicate = await book('re_booked_once').catch((error: unknown) => error);

    expect(duplicate).toBeInstanceOf(UniqueConstraintViolationException);
    expect(await em.fork().count(Refund, { providerRefundId: 're_booked_once' })).toBe(1);
    expect(await em.fork().count(Refund, { orderId: order.id, providerRefundId: null })).toBe(2);
  });

  it('when the caller is not an admin or the order is unknown or not placed, then the refund is refused', async () => {
    const buyer = await h.app.customer();
    const { order } = await buildPaidCardOrder(em, h.stripe.stripe, { customerId: buyer.id });

    const asBuyer = await h.app.gql(
      `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { __typename } }`,
      { input: { orderId: order.id, reason: 'x', idempotencyKey: key() } },
      { token: buyer.token },
    );
    const unknown = await refundOrder(h.app, { orderId: 'not-an-id', idempotencyKey: key() });
    const pendingOrder = await buildOrder(em, { status: OrderStatus.PENDING_PAYMENT });
    const notPlaced = await refundOrder(h.app, { orderId: pendingOrder.id, idempotencyKey: key() });

    expect(asBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(unknown).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(notPlaced).toMatchObject({ errorCode: 'INVALID_STATE_TRANSITION' });
    expect(await em.fork().count(Refund, {})).toBe(0);
  });
});
