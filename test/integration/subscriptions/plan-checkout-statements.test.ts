import { SubscriptionStatus } from '../../../src/entities';
import { START_CHECKOUT } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { usePaymentsApp } from '../../support/payments-app';
import { CONFIRM_WITH_PAYMENT } from '../payments/payments-harness';
import { planCart, subscriptionsOf } from './plan-checkout-harness';

/** What a plan's card checkout costs in statements, BEGIN and COMMIT included; a change that adds one fails here. */
describe('plan checkout statement budget', () => {
  let recorded: string[] | null = null;
  const h = usePaymentsApp({ start: { onQuery: (sql: string) => void recorded?.push(sql) } });
  const em = () => h.app.orm.em.fork();
  const dialect = () => h.app.tillgate.deps.db.dialect;

  /** A signed-in buyer's plan cart, previewed with the buyer's token (as a storefront does) and confirmed by card, its statements counted. */
  async function confirmPlanByCard(buyer: { id: string; token: string }) {
    const plan = await buildPlan(em());
    const { cartId } = await planCart(h.app, plan, buyer);
    const preview = (await h.app.gql(START_CHECKOUT, { input: { cartId } }, { token: buyer.token })).data.startCheckout;
    const input = { cartId, versionKey: preview.versionKey, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' };
    recorded = [];
    try {
      const answer = (await h.app.gql(CONFIRM_WITH_PAYMENT, { input }, { token: buyer.token })).data.confirmCheckout;
      expect(answer.order.status).toBe('PLACED');
      return { statements: recorded.length, transactions: recorded.filter((sql) => /^\[query\] begin\b/i.test(sql)).length };
    } finally {
      recorded = null;
    }
  }

  it("when a signed-in customer's first plan is paid by card, then confirmCheckout runs a pinned number of statements in two transactions", async () => {
    const buyer = await h.app.customer();

    expect(await confirmPlanByCard(buyer)).toEqual({ statements: FIRST_PLAN_BY_CARD[dialect()], transactions: 2 });
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.ACTIVE]);
  });

  it('when a customer with a Stripe Customer already pays another plan by card, then confirmCheckout runs a pinned number of statements', async () => {
    const buyer = await h.app.customer();
    await confirmPlanByCard(buyer);

    expect(await confirmPlanByCard(buyer)).toEqual({ statements: NEXT_PLAN_BY_CARD[dialect()], transactions: 2 });
  });
});

/**
 * A returning customer's plan runs five more statements than a signed-in one-line card checkout of a physical good
 * (measured at 16 on PostgreSQL and 20 on libSQL when these were pinned), which reserves and takes stock where a plan
 * holds none. Before the Stripe call a plan reads its billing interval and the
 * customer's Stripe Customer and inserts the subscription (on conflict: the answer decides ALREADY_SUBSCRIBED); the
 * first period rides with the order's insert. Placing it reads the period, activates the subscription, pays the
 * period and records `subscription.activated`. A customer's first plan also stores the new Stripe Customer on the
 * customer and the subscription (two more). libSQL sends deferred rows one by one where PostgreSQL joins them.
 */
const FIRST_PLAN_BY_CARD = { postgresql: 23, libsql: 27 };
const NEXT_PLAN_BY_CARD = { postgresql: 21, libsql: 25 };
