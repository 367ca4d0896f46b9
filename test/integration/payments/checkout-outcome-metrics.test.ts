import { Variant } from '../../../src/entities';
import { ErrorCode } from '../../../src/services/shared/error-code';
import { buildReadyCart, START_CHECKOUT } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { metricMoves } from '../../support/metrics-text';
import { arrangeCheckout, confirm, CONFIRM_WITH_PAYMENT, usePaymentsHarness } from './payments-harness';

/** checkout_outcomes_total is counted once per confirmCheckout, at the confirm service, whatever the answer. */
describe('checkout outcome metrics', () => {
  const h = usePaymentsHarness();
  const outcomes = (action: () => Promise<unknown>) => metricMoves(h.app, 'checkout_outcomes_total', action);

  it('when a card is declined, then only CARD / PAYMENT_DECLINED moves, by one', async () => {
    const { input } = await arrangeCheckout(h.app);
    let answer: Awaited<ReturnType<typeof confirm>>;
    let moved: Record<string, number> = {};
    let compensations: Record<string, number> = {};
    const stripeCalls = await metricMoves(h.app, 'stripe_requests_total', async () => {
      compensations = await metricMoves(h.app, 'saga_compensations_total', async () => {
        moved = await outcomes(async () => {
          answer = await confirm(h.app, { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_chargeDeclined' });
        });
      });
    });
    // The decline is Stripe's final word on that attempt: one call, classed terminal.
    expect(stripeCalls).toEqual({ '{operation="payment_intents.create",outcome="terminal"}': 1 });
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: ErrorCode.PAYMENT_DECLINED });
    expect(moved).toEqual({ '{payment_kind="CARD",outcome="PAYMENT_DECLINED"}': 1 });
    // The order was written before the card was asked: undone, as a business answer.
    expect(compensations).toEqual({ '{kind="confirm-checkout",step="payment",reason_class="business"}': 1 });
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a price moved beyond the drift, then only CASH_ON_DELIVERY / PRICE_CHANGED moves, by one', async () => {
    const ready = await buildReadyCart(h.app.orm.em.fork(), { lines: [{ price: 1_000, stock: 5, quantity: 1 }] });
    expect((await h.app.gql(START_CHECKOUT, { input: { cartId: ready.cart.id } })).data.startCheckout.__typename).toBe('CheckoutPreview');
    await h.app.orm.em.fork().nativeUpdate(Variant, { id: ready.variants[0].id }, { price: 1_200 });
    let answer: Awaited<ReturnType<typeof confirm>>;
    let moved: Record<string, number> = {};
    const operations = await metricMoves(h.app, 'graphql_operation_duration_seconds_count', async () => {
      moved = await outcomes(async () => {
        answer = await confirm(h.app, { cartId: ready.cart.id, versionKey: ready.versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
      });
    });
    expect(answer.__typename).toBe('PriceChangedError');
    expect(moved).toEqual({ '{payment_kind="CASH_ON_DELIVERY",outcome="PRICE_CHANGED"}': 1 });
    // The operation's latency is labelled with the union member it answered, not as a plain success.
    expect(operations).toEqual({ '{operation="anonymous",result="PriceChangedError"}': 1 });
  });

  it('when a cash-on-delivery order is placed, then only CASH_ON_DELIVERY / PLACED moves, by one; its replay counts as REPLAYED', async () => {
    const { input } = await arrangeCheckout(h.app);
    let answer: Awaited<ReturnType<typeof confirm>>;
    const placed = await outcomes(async () => {
      answer = await confirm(h.app, { ...input, paymentMethod: 'CASH_ON_DELIVERY' });
    });
    expect(answer).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED' } });
    expect(placed).toEqual({ '{payment_kind="CASH_ON_DELIVERY",outcome="PLACED"}': 1 });

    const replayed = await outcomes(() => confirm(h.app, { ...input, paymentMethod: 'CASH_ON_DELIVERY' }));
    expect(replayed).toEqual({ '{payment_kind="CASH_ON_DELIVERY",outcome="REPLAYED"}': 1 });
  });

  it('when a step fails after the card was charged, then the checkout is compensated and counted once as INTERNAL_ERROR, the compensation once by step, and the masked error names the request id', async () => {
    const { input } = await arrangeCheckout(h.app);
    h.faults.beforeStep = (step) => {
      if (step === 'finalize') throw new Error('finalize blew up (injected)');
    };
    let response: Response | undefined;
    const compensations = await metricMoves(h.app, 'saga_compensations_total', async () => {
      const moved = await outcomes(async () => {
        response = await fetch(`${h.app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'support-ticket-4711' },
          body: JSON.stringify({
            query: CONFIRM_WITH_PAYMENT,
            variables: { input: { ...input, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' } },
          }),
        });
      });
      expect(moved).toEqual({ '{payment_kind="CARD",outcome="INTERNAL_ERROR"}': 1 });
    });
    expect(compensations).toEqual({ '{kind="confirm-checkout",step="finalize",reason_class="fault"}': 1 });
    expect(response!.headers.get('x-request-id')).toBe('support-ticket-4711');
    const body = (await response!.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'support-ticket-4711' } });
    await assertCheckoutInvariants(h.app.orm);
  });
});
