import { SubscriptionStatus } from '../../../src/entities';
import { grantTestCredit } from '../../factories/checkout.factory';
import { buildPlan } from '../../factories/plan.factory';
import { confirm, usePaymentsHarness } from '../payments/payments-harness';
import { eventsCount, planCart, subscriptionsOf } from './plan-checkout-harness';

const CANCEL = `mutation($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) {
  __typename ... on Subscription { id status entitled cancelAtPeriodEnd canceledAt } ... on UserError { errorCode field } } }`;
const RESUME = `mutation($input: ResumeSubscriptionInput!) { resumeSubscription(input: $input) {
  __typename ... on Subscription { id status cancelAtPeriodEnd } ... on UserError { errorCode } } }`;
const READ = `query($id: ID!) { subscription(id: $id) { id status entitled plan { id kind billingInterval } periods { status order { id } } } }`;

describe('cancelSubscription and resumeSubscription', () => {
  const h = usePaymentsHarness();

  async function subscribed() {
    const plan = await buildPlan(h.app.orm.em.fork(), { price: 1_000 });
    const owner = await h.app.customer();
    await grantTestCredit(h.app.orm.em.fork(), owner.id, 1_000);
    await confirm(h.app, { ...(await planCart(h.app, plan, owner)), paymentMethod: 'STORE_CREDIT' }, owner.token);
    const [subscription] = await subscriptionsOf(h.app, owner.id);
    return { owner, subscription, plan };
  }
  const call = async (document: string, input: Record<string, unknown>, token?: string) => {
    const response = await h.app.gql(document, { input }, { token });
    return Object.values(response.data as Record<string, unknown>)[0] as Record<string, unknown>;
  };

  it('when the owner cancels at period end and resumes, then access continues throughout; cancelling now ends it', async () => {
    const { owner, subscription } = await subscribed();
    const atEnd = await call(CANCEL, { subscriptionId: subscription.id }, owner.token);
    expect(atEnd).toMatchObject({ status: 'ACTIVE', entitled: true, cancelAtPeriodEnd: true, canceledAt: null });
    expect(await call(RESUME, { subscriptionId: subscription.id }, owner.token)).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: false });

    const now = await call(CANCEL, { subscriptionId: subscription.id, atPeriodEnd: false }, owner.token);
    expect(now).toMatchObject({ status: 'CANCELED', entitled: false, cancelAtPeriodEnd: false });
    expect(await call(RESUME, { subscriptionId: subscription.id }, owner.token)).toMatchObject({ errorCode: 'INVALID_STATE_TRANSITION' });
    expect(await eventsCount(h.app, 'subscription.canceled', subscription.id)).toBe(2);
  });

  it('when another customer or a guest asks, then NOT_FOUND and nothing changes; the owner and an admin can read it', async () => {
    const { owner, subscription, plan } = await subscribed();
    const stranger = await h.app.customer();
    expect(await call(CANCEL, { subscriptionId: subscription.id }, stranger.token)).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(await call(RESUME, { subscriptionId: subscription.id })).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect((await h.app.gql(READ, { id: subscription.id }, { token: stranger.token })).data.subscription).toBeNull();
    expect((await subscriptionsOf(h.app, owner.id)).map((s) => [s.status, s.cancelAtPeriodEnd])).toEqual([[SubscriptionStatus.ACTIVE, false]]);

    const seen = (await h.app.gql(READ, { id: subscription.id }, { token: owner.token })).data.subscription;
    expect(seen).toMatchObject({ status: 'ACTIVE', entitled: true, plan: { id: plan.id, kind: 'SUBSCRIPTION', billingInterval: 'MONTH' } });
    expect(seen.periods).toEqual([{ status: 'PAID', order: { id: expect.any(String) } }]);
    const admin = await h.app.adminToken();
    expect(await call(CANCEL, { subscriptionId: subscription.id, atPeriodEnd: false }, admin)).toMatchObject({ status: 'CANCELED' });
  });
});
