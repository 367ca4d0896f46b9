import { Customer, OrderStatus, RedemptionStatus, SagaExecution, SubscriptionPeriodStatus, SubscriptionStatus } from '../../../src/entities';
import { PROVIDER_PATH } from '../../../src/services/checkout/confirm-checkout.saga';
import { DEFAULT_STRIPE_RETRY_POLICY } from '../../../src/services/payments/stripe/stripe-client';
import { providerKeys } from '../../../src/services/payments/idempotency-keys';
import { SimulatedCrash, StepTimeoutError, type SagaRecordData } from '../../../src/services/saga/saga-types';
import { recoverStaleSagas } from '../../../src/services/workers/saga-recovery.worker';
import { checkoutDeps, directSaga } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { confirm, creditOf, stateOf, stripeWrites, usePaymentsHarness } from '../payments/payments-harness';
import { eventsCount, periodsOf, subscriptionsOf } from './plan-checkout-harness';
import {
  arrangePlanCheckout,
  CARD_AMOUNT,
  CREDIT,
  PLAN_PRICE,
  VOUCHER_OFF,
  customerCreates,
  diesAsThePaymentLeaves,
  expectEverythingGivenBack,
  planCheckoutState,
  providerCustomersOf,
  retryPlanCheckout,
  succeededCharges,
  type PlanCheckout,
} from './plan-faults-harness';

describe('a plan checkout by card when a Stripe call fails', () => {
  const h = usePaymentsHarness({ SAGA_RECOVERY_GRACE: '0ms' });
  const em = () => h.app.orm.em.fork();
  const inAMoment = () => new Date(Date.now() + 1_000);
  const recover = () => recoverStaleSagas(em(), h.app.tillgate.deps, inAMoment());
  const realPayments = () => h.app.tillgate.deps.payments!;

  /** The plan is bought on a later attempt: ACTIVE with the one Stripe Customer and the card Stripe saved, charged once. */
  async function expectRetrySubscribes(arranged: PlanCheckout) {
    const paid = await confirm(h.app, await retryPlanCheckout(h.app, arranged), arranged.buyer.token);
    expect(paid.order).toMatchObject({ status: 'PLACED', totals: { total: { amount: PLAN_PRICE - VOUCHER_OFF } } });
    const [customer, ...more] = providerCustomersOf(h.stripe, arranged.buyer.id);
    expect(more).toEqual([]);
    const active = (await subscriptionsOf(h.app, arranged.buyer.id)).filter((s) => s.status === SubscriptionStatus.ACTIVE);
    expect(active).toMatchObject([{ entitled: true, stripeCustomerId: customer.id }]);
    expect((await em().findOneOrFail(Customer, { id: arranged.buyer.id })).stripeCustomerId).toBe(customer.id);
    expect(succeededCharges(h.stripe)).toMatchObject([{ amount: CARD_AMOUNT, customer: customer.id }]);
    await assertCheckoutInvariants(h.app.orm);
  }

  describe('creating the Stripe Customer', () => {
    it.each([400, 402])(
      'when Stripe refuses it with %i, then PAYMENT_PROVIDER_UNAVAILABLE without a retry or a payment, the subscription INCOMPLETE_EXPIRED and everything given back',
      async (status) => {
        const arranged = await arrangePlanCheckout(h.app);
        h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'status', status } });

        const answer = await confirm(h.app, arranged.input, arranged.buyer.token);

        expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE', field: 'paymentMethod' });
        expect(customerCreates(h.stripe).map((r) => [r.status, r.idempotencyKey])).toEqual([[status, providerKeys.customer(arranged.buyer.id)]]);
        expect(stripeWrites(h.stripe, '/v1/payment_intents')).toEqual([]);
        expect(providerCustomersOf(h.stripe, arranged.buyer.id)).toEqual([]);
        await expectEverythingGivenBack(h.app, h.stripe, arranged);
        await expectRetrySubscribes(arranged);
      },
    );

    it('when Stripe answers 5xx on every attempt, then every retry carries the same key, PAYMENT_PROVIDER_UNAVAILABLE, and everything is given back', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'status', status: 503 }, times: 10 });

      const answer = await confirm(h.app, arranged.input, arranged.buyer.token);

      expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      const key = providerKeys.customer(arranged.buyer.id);
      expect(customerCreates(h.stripe).map((r) => [r.status, r.idempotencyKey])).toEqual(Array(DEFAULT_STRIPE_RETRY_POLICY.maxAttempts).fill([503, key]));
      expect(stripeWrites(h.stripe, '/v1/payment_intents')).toEqual([]);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
    });

    it('when a hosted plan checkout cannot create the Stripe Customer (5xx every time), then PAYMENT_PROVIDER_UNAVAILABLE, no Checkout Session is opened, and everything is given back', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'status', status: 500 }, times: 10 });

      const answer = await confirm(h.app, { ...arranged.input, paymentMethod: 'HOSTED_CHECKOUT', stripePaymentMethodId: null }, arranged.buyer.token);

      expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      expect(customerCreates(h.stripe)).toHaveLength(DEFAULT_STRIPE_RETRY_POLICY.maxAttempts);
      expect(stripeWrites(h.stripe, '/v1/checkout/sessions')).toEqual([]);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
    });

    it('when Stripe never answers and the request times out, then PAYMENT_PROVIDER_UNAVAILABLE and everything is given back', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      const hung = h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'hang' } });

      const answer = await confirm(h.app, arranged.input, arranged.buyer.token);
      await hung.hit;

      expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      // A timed-out request may have been applied: it is not sent again under the key it is still holding.
      expect(customerCreates(h.stripe)).toHaveLength(1);
      expect(stripeWrites(h.stripe, '/v1/payment_intents')).toEqual([]);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
    }, 30_000);

    it("when the payment step's deadline passes while Stripe is making the customer, then the late step asks for no payment and recovery gives everything back", async () => {
      const arranged = await arrangePlanCheckout(h.app);
      h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'delay', ms: 4_000 } });
      let lateStep!: Promise<unknown>;
      const saga = directSaga(
        h.app,
        {
          stepTimeoutMs: 2_000,
          faults: {
            onInvoke: (id, invocation) => {
              if (id === 'payment') lateStep = invocation;
            },
          },
        },
        { payments: realPayments() },
      );

      const outcome = await saga.confirm(em(), arranged.command, arranged.actor);
      expect(outcome).toMatchObject({ ok: false, failure: { code: 'CHECKOUT_IN_PROGRESS' } });
      // Recovery takes the order while Stripe is still making the customer: it finds no payment and gives everything back.
      expect(await recover()).toBe(1);
      await expect(lateStep).rejects.toBeInstanceOf(StepTimeoutError);

      expect(providerCustomersOf(h.stripe, arranged.buyer.id)).toHaveLength(1);
      expect(stripeWrites(h.stripe, '/v1/payment_intents')).toEqual([]);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
      await expectRetrySubscribes(arranged);
    });

    it('when the answer that Stripe made the customer is dropped once, then the SDK sends it again under the same key, gets the same customer, and the plan is bought', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'applyThenDrop' } });

      const answer = await confirm(h.app, arranged.input, arranged.buyer.token);

      expect(answer.order).toMatchObject({ status: 'PLACED' });
      const key = providerKeys.customer(arranged.buyer.id);
      expect(customerCreates(h.stripe).map((r) => [r.idempotencyKey, r.replayed])).toEqual([
        [key, false],
        [key, true],
      ]);
      const [customer, ...more] = providerCustomersOf(h.stripe, arranged.buyer.id);
      expect(more).toEqual([]);
      const [subscription] = await subscriptionsOf(h.app, arranged.buyer.id);
      expect(subscription).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true, stripeCustomerId: customer.id });
      expect(succeededCharges(h.stripe)).toMatchObject([{ amount: CARD_AMOUNT, customer: customer.id }]);
      await assertCheckoutInvariants(h.app.orm);
    });

    it('when every answer that Stripe made the customer is lost, then the checkout is given back, and the next attempt gets the same customer under the same key', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'applyThenDrop' }, times: 10 });

      const answer = await confirm(h.app, arranged.input, arranged.buyer.token);

      expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      expect(providerCustomersOf(h.stripe, arranged.buyer.id)).toHaveLength(1);
      expect(stripeWrites(h.stripe, '/v1/payment_intents')).toEqual([]);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);

      h.stripe.emulator.faults.clear();
      await expectRetrySubscribes(arranged);
      const creates = customerCreates(h.stripe);
      expect(creates.every((r) => r.idempotencyKey === providerKeys.customer(arranged.buyer.id))).toBe(true);
      expect(creates.map((r) => r.replayed)).toEqual([false, ...Array(creates.length - 1).fill(true)]);
    });
  });

  it("when the saving payment's answer is lost, then recovery places the order once and the subscription keeps the card Stripe saved, on the one customer", async () => {
    const arranged = await arrangePlanCheckout(h.app);
    h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/payment_intents', action: { kind: 'applyThenDrop' }, times: 5 });
    expect(await confirm(h.app, arranged.input, arranged.buyer.token)).toMatchObject({ __typename: 'UserError', errorCode: 'CHECKOUT_IN_PROGRESS' });
    h.stripe.emulator.faults.clear();
    expect(await creditOf(h.app, arranged.buyer.id)).toBe(0);
    expect((await subscriptionsOf(h.app, arranged.buyer.id)).map((s) => [s.status, s.entitled])).toEqual([[SubscriptionStatus.INCOMPLETE, false]]);

    expect(await recover()).toBe(1);
    expect(await recover()).toBe(0);

    const [intent, ...moreIntents] = succeededCharges(h.stripe);
    expect(moreIntents).toEqual([]);
    const [customer] = providerCustomersOf(h.stripe, arranged.buyer.id);
    expect(intent).toMatchObject({
      amount: CARD_AMOUNT,
      customer: customer.id,
      setup_future_usage: 'off_session',
      payment_method: expect.stringMatching(/^pm_/),
    });
    const [subscription] = await subscriptionsOf(h.app, arranged.buyer.id);
    expect(subscription).toMatchObject({ status: SubscriptionStatus.ACTIVE, entitled: true, stripeCustomerId: customer.id });
    expect(subscription.savedPaymentMethodId).toBe(intent.payment_method);
    expect(subscription.savedPaymentMethodId).not.toBe('pm_card_visa');
    expect((await em().findOneOrFail(Customer, { id: arranged.buyer.id })).stripeCustomerId).toBe(customer.id);
    expect(providerCustomersOf(h.stripe, arranged.buyer.id)).toHaveLength(1);
    const state = await stateOf(h.app, arranged.cartId);
    expect(state.orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    expect(state.redemptions.map((r) => r.status)).toEqual([RedemptionStatus.CONSUMED]);
    expect(await creditOf(h.app, arranged.buyer.id)).toBe(0);
    expect((await periodsOf(h.app, subscription.id)).map((p) => [p.status, p.orderId])).toEqual([[SubscriptionPeriodStatus.PAID, state.orders[0].id]]);
    expect(await eventsCount(h.app, 'subscription.activated', subscription.id)).toBe(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  describe('a crash before the next step', () => {
    it('when the process dies after the Stripe Customer was made and before the payment call, then recovery finds no payment, gives everything back, and a retry reuses the one customer', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      const crashing = directSaga(h.app, {}, { payments: diesAsThePaymentLeaves(realPayments()) });
      await expect(crashing.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
      expect(providerCustomersOf(h.stripe, arranged.buyer.id)).toHaveLength(1);
      expect((await subscriptionsOf(h.app, arranged.buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.INCOMPLETE]);

      expect(await recover()).toBe(1);

      expect(h.stripe.emulator.requests.some((r) => r.method === 'GET' && r.path === '/v1/payment_intents/search')).toBe(true);
      expect(stripeWrites(h.stripe, '/v1/payment_intents')).toEqual([]);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
      expect(await recover()).toBe(0);
      await expectRetrySubscribes(arranged);
    });

    it('when the process dies after the payment succeeded and before finalize, then recovery activates the subscription once with the card Stripe saved and one charge', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      const crashing = directSaga(
        h.app,
        {
          faults: {
            beforeStep: (id) => {
              if (id === 'finalize') throw new SimulatedCrash('killed before finalize');
            },
          },
        },
        { payments: realPayments() },
      );
      await expect(crashing.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
      expect((await subscriptionsOf(h.app, arranged.buyer.id)).map((s) => [s.status, s.entitled])).toEqual([[SubscriptionStatus.INCOMPLETE, false]]);

      expect(await recover()).toBe(1);
      expect(await recover()).toBe(0);

      const [intent, ...moreIntents] = succeededCharges(h.stripe);
      expect(moreIntents).toEqual([]);
      const [customer, ...moreCustomers] = providerCustomersOf(h.stripe, arranged.buyer.id);
      expect(moreCustomers).toEqual([]);
      const [subscription] = await subscriptionsOf(h.app, arranged.buyer.id);
      expect(subscription).toMatchObject({
        status: SubscriptionStatus.ACTIVE,
        entitled: true,
        stripeCustomerId: customer.id,
        savedPaymentMethodId: intent.payment_method,
      });
      expect((await stateOf(h.app, arranged.cartId)).orders.map((o) => o.status)).toEqual([OrderStatus.PLACED]);
      expect(await eventsCount(h.app, 'subscription.activated', subscription.id)).toBe(1);
      await assertCheckoutInvariants(h.app.orm);
    });
  });

  describe('compensations run twice', () => {
    /** Each recorded step's compensation of the saga, in reverse order, as recovery runs them. */
    async function compensateAll(sagaId: string) {
      const row = await em().findOneOrFail(SagaExecution, { id: sagaId });
      const recorded = (row.data as unknown as SagaRecordData<unknown>).steps;
      const deps = checkoutDeps(h.app, { payments: realPayments() });
      for (const step of [...PROVIDER_PATH].reverse()) {
        if (step.id in recorded) await step.compensate(em(), recorded[step.id] as never, deps);
      }
    }

    it('when the compensations of a refused Stripe Customer run again, then nothing changes: credit back once, voucher released once, one compensation event', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      h.stripe.emulator.faults.add({ method: 'POST', path: '/v1/customers', action: { kind: 'status', status: 400 } });
      expect(await confirm(h.app, arranged.input, arranged.buyer.token)).toMatchObject({ errorCode: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      const once = await planCheckoutState(h.app);
      const [saga] = await em().find(SagaExecution, {});

      await compensateAll(saga.id);
      expect(await recover()).toBe(0);

      expect(await planCheckoutState(h.app)).toEqual(once);
      expect(once.outbox.filter(([, type]) => type === 'checkout.compensated')).toHaveLength(1);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
    });

    it('when a crashed plan checkout is compensated twice by hand and then by recovery, then the second and third runs change nothing', async () => {
      const arranged = await arrangePlanCheckout(h.app);
      const crashing = directSaga(h.app, {}, { payments: diesAsThePaymentLeaves(realPayments()) });
      await expect(crashing.confirm(em(), arranged.command, arranged.actor)).rejects.toBeInstanceOf(SimulatedCrash);
      const [saga] = await em().find(SagaExecution, {});

      await compensateAll(saga.id);
      const once = await planCheckoutState(h.app);
      await compensateAll(saga.id);
      expect(await planCheckoutState(h.app)).toEqual(once);
      expect(await creditOf(h.app, arranged.buyer.id)).toBe(CREDIT);

      // The saga row is still RUNNING (its process died): recovery ends it, and its compensations change nothing by now.
      expect(await recover()).toBe(1);
      const afterRecovery = await planCheckoutState(h.app);
      expect({ ...afterRecovery, outbox: [] }).toEqual({ ...once, outbox: [] });
      expect(afterRecovery.outbox.filter(([, type]) => type === 'checkout.compensated')).toHaveLength(1);
      await expectEverythingGivenBack(h.app, h.stripe, arranged);
    });
  });
});
