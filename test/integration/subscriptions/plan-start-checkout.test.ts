import { BillingInterval, Cart, SubscriptionStatus, type Variant } from '../../../src/entities';
import { RenewalService } from '../../../src/services/subscriptions/renewals';
import { grantTestCredit, START_CHECKOUT } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { confirm, usePaymentsHarness } from '../payments/payments-harness';
import { planCart, subscriptionsOf } from './plan-checkout-harness';

const DAY_SECONDS = 60;
const CANCEL_NOW = `mutation($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { __typename ... on Subscription { status } } }`;

/** startCheckout answers ALREADY_SUBSCRIBED for a plan its customer holds live, before anything is held (confirm asks again). */
describe('startCheckout of a plan the customer already holds', () => {
  const h = usePaymentsHarness({ BILLING_DAY_SECONDS: String(DAY_SECONDS), RENEWAL_RETRY_DAYS: '1,2' });
  const em = () => h.app.orm.em.fork();

  async function subscribe(plan: Variant, buyer: { id: string; token: string }, payment: Record<string, unknown>) {
    const answer = await confirm(h.app, { ...(await planCart(h.app, plan, buyer)), ...payment }, buyer.token);
    const subscriptions = await subscriptionsOf(h.app, buyer.id);
    return { answer, subscription: subscriptions[subscriptions.length - 1] };
  }

  async function startCheckout(cartId: string, token: string) {
    const response = await h.app.gql(START_CHECKOUT, { input: { cartId } }, { token });
    if (response.errors?.length) throw new Error(`startCheckout answered a GraphQL error: ${JSON.stringify(response.errors)}`);
    return response.data.startCheckout;
  }

  /** What startCheckout would change on a cart: its version and the stamp of its price check. */
  const cartState = async (cartId: string) => {
    const cart = await em().findOneOrFail(Cart, cartId);
    return { version: cart.version, pricesValidatedAt: cart.pricesValidatedAt, status: cart.status };
  };

  async function expectAlreadySubscribed(plan: Variant, buyer: { id: string; token: string }) {
    const { cartId } = await planCart(h.app, plan, buyer);
    const before = await cartState(cartId);
    expect(await startCheckout(cartId, buyer.token)).toMatchObject({ __typename: 'UserError', errorCode: 'ALREADY_SUBSCRIBED', field: 'cartId' });
    expect(await cartState(cartId)).toEqual(before);
  }

  it('when a customer holding the plan ACTIVE starts a checkout of it, then ALREADY_SUBSCRIBED and the cart is unchanged', async () => {
    const plan = await buildPlan(em(), { price: 1_000 });
    const buyer = await h.app.customer();
    await grantTestCredit(em(), buyer.id, 1_000);
    expect((await subscribe(plan, buyer, { paymentMethod: 'STORE_CREDIT' })).subscription.status).toBe(SubscriptionStatus.ACTIVE);

    await expectAlreadySubscribed(plan, buyer);

    const otherPlan = await buildPlan(em(), { price: 1_000 });
    const { cartId } = await planCart(h.app, otherPlan, buyer);
    expect(await startCheckout(cartId, buyer.token)).toMatchObject({ __typename: 'CheckoutPreview' });
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.ACTIVE]);
  });

  it('when a customer whose renewal was declined (PAST_DUE) starts a checkout of the plan, then ALREADY_SUBSCRIBED', async () => {
    const plan = await buildPlan(em(), { price: 1_000, interval: BillingInterval.DAY });
    const buyer = await h.app.customer();
    const { subscription } = await subscribe(plan, buyer, { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    h.stripe.emulator.failNextOffSessionCharge(subscription.stripeCustomerId!, 'card_declined');
    await new RenewalService(h.app.tillgate.deps).runRound(em(), subscription.currentPeriodEnd!);
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => s.status)).toEqual([SubscriptionStatus.PAST_DUE]);

    await expectAlreadySubscribed(plan, buyer);
  });

  it("when the customer's subscription to the plan was CANCELED or never paid (INCOMPLETE_EXPIRED), then startCheckout previews it and the plan can be bought again", async () => {
    const plan = await buildPlan(em(), { price: 1_000 });
    const buyer = await h.app.customer();
    const declined = await subscribe(plan, buyer, { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_chargeDeclined' });
    expect(declined.subscription.status).toBe(SubscriptionStatus.INCOMPLETE_EXPIRED);
    const afterExpiry = await planCart(h.app, plan, buyer);
    expect(await startCheckout(afterExpiry.cartId, buyer.token)).toMatchObject({ __typename: 'CheckoutPreview' });

    const { subscription } = await subscribe(plan, buyer, { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    const canceled = (await h.app.gql(CANCEL_NOW, { input: { subscriptionId: subscription.id, atPeriodEnd: false } }, { token: buyer.token })).data;
    expect(canceled.cancelSubscription.status).toBe('CANCELED');

    const cart = await planCart(h.app, plan, buyer);
    const preview = await startCheckout(cart.cartId, buyer.token);
    expect(preview).toMatchObject({ __typename: 'CheckoutPreview' });
    const again = await confirm(
      h.app,
      { cartId: cart.cartId, versionKey: preview.versionKey, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' },
      buyer.token,
    );
    expect(again.order.status).toBe('PLACED');
    expect((await subscriptionsOf(h.app, buyer.id)).map((s) => s.status)).toEqual([
      SubscriptionStatus.INCOMPLETE_EXPIRED,
      SubscriptionStatus.CANCELED,
      SubscriptionStatus.ACTIVE,
    ]);
  });
});
