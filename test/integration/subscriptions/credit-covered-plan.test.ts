import {
  CreditLedgerEntry,
  Order,
  OrderStatus,
  Payment,
  PaymentStatus,
  SagaExecution,
  SagaStatus,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
} from '../../../src/entities';
import { grantTestCredit } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { creditBalance } from '../../support/credit-balance';
import { assertCheckoutInvariants } from '../../support/invariants';
import { usePaymentsApp } from '../../support/payments-app';
import { CONFIRM_WITH_PAYMENT } from '../payments/payments-harness';
import { eventsCount, periodsOf, planCart, subscriptionsOf } from './plan-checkout-harness';

const PROVIDER_KINDS = [{ paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' }, { paymentMethod: 'HOSTED_CHECKOUT' }];

describe('a plan whose store credit covers it, confirmed with a card or hosted checkout', () => {
  let recorded: string[] | null = null;
  const h = usePaymentsApp({ start: { onQuery: (sql) => recorded?.push(sql) } });
  const em = () => h.app.orm.em.fork();
  const transactions = (statements: string[]) => statements.filter((sql) => /^\[query\] begin\b/i.test(sql)).length;

  async function confirmCounted(input: Record<string, unknown>, token: string) {
    recorded = [];
    try {
      const response = await h.app.gql(CONFIRM_WITH_PAYMENT, { input }, { token });
      if (response.errors?.length) throw new Error(JSON.stringify(response.errors));
      return { answer: response.data.confirmCheckout, statements: recorded };
    } finally {
      recorded = null;
    }
  }

  it.each(PROVIDER_KINDS)(
    'when useCredit covers the whole plan with $paymentMethod, then order, spend and ACTIVE subscription commit in one transaction and no request reaches Stripe',
    async (kind) => {
      const plan = await buildPlan(em(), { price: 1_000 });
      const buyer = await h.app.customer();
      await grantTestCredit(em(), buyer.id, 1_500);
      const cart = await planCart(h.app, plan, buyer);
      const requestsBefore = h.stripe.emulator.requests.length;

      const { answer, statements } = await confirmCounted({ ...cart, ...kind, useCredit: true }, buyer.token);
      const replay = await confirmCounted({ ...cart, ...kind, useCredit: true }, buyer.token);

      expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' }, payment: { status: 'CAPTURED' } });
      expect(transactions(statements)).toBe(1);
      expect(replay.answer.order.id).toBe(answer.order.id);
      expect(h.stripe.emulator.requests.length).toBe(requestsBefore);
      const orders = await em().find(Order, { customerId: buyer.id });
      expect(orders.map((o) => [o.status, o.creditApplied, o.amountDue])).toEqual([[OrderStatus.PLACED, 1_000, 0]]);
      const payment = await em().findOneOrFail(Payment, { orderId: answer.order.id });
      expect([payment.status, payment.captured, payment.providerReference]).toEqual([PaymentStatus.CAPTURED, 0, null]);
      const spends = await em().find(CreditLedgerEntry, { orderId: answer.order.id });
      expect(spends.map((entry) => entry.amount)).toEqual([-1_000]);
      expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(500);
      const [subscription, ...others] = await subscriptionsOf(h.app, buyer.id);
      expect(others).toHaveLength(0);
      expect(subscription).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true, useCredit: true, stripeCustomerId: null });
      expect((await periodsOf(h.app, subscription!.id)).map((p) => [p.status, p.orderId])).toEqual([[SubscriptionPeriodStatus.PAID, answer.order.id]]);
      expect(await eventsCount(h.app, 'subscription.activated', subscription!.id)).toBe(1);
      const sagas = await em().find(SagaExecution, {});
      expect(sagas.map((s) => [s.status, s.stepsCompleted])).toEqual([[SagaStatus.COMPLETED, 7]]);
      await assertCheckoutInvariants(h.app.orm);
    },
  );

  it('when credit covers only part of the plan, then the card is charged for the rest as before, in two transactions around the one Stripe payment', async () => {
    const plan = await buildPlan(em(), { price: 1_000 });
    const buyer = await h.app.customer();
    await grantTestCredit(em(), buyer.id, 400);
    const cart = await planCart(h.app, plan, buyer);

    const { answer, statements } = await confirmCounted({ ...cart, ...PROVIDER_KINDS[0], useCredit: true }, buyer.token);

    expect([answer.order.status, answer.payment.status]).toEqual(['PLACED', 'CAPTURED']);
    expect(transactions(statements)).toBe(2);
    const intents = h.stripe.emulator.createdObjects('payment_intent') as { amount: number }[];
    expect(intents.map((pi) => pi.amount)).toEqual([600]);
    expect(await creditBalance(em(), buyer.id, 'EUR')).toBe(0);
  });
});
