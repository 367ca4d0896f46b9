import { Customer, OutboxEvent, Subscription, SubscriptionPeriod, type Variant } from '../../../src/entities';
import { cartApi } from '../../factories/cart.factory';
import type { TestApp } from '../../support/test-app';

/** A signed-in customer's cart holding one plan, built through the public API; `voucher` is applied when given. */
export async function planCart(app: TestApp, plan: Variant, buyer: { token: string }, voucher?: string) {
  const api = cartApi(app, buyer.token);
  let cart = await api.create();
  cart = await api.addLine(cart.id, plan.id, 1);
  if (voucher) cart = await api.applyVoucher(cart.id, voucher);
  if (cart.__typename && cart.__typename !== 'Cart') throw new Error(`cart change refused: ${JSON.stringify(cart)}`);
  return { cartId: cart.id as string, versionKey: cart.versionKey as string };
}

export const subscriptionsOf = (app: TestApp, customerId: string) => app.orm.em.fork().find(Subscription, { customerId }, { orderBy: { createdAt: 'asc' } });

export const periodsOf = (app: TestApp, subscriptionId: string) => app.orm.em.fork().find(SubscriptionPeriod, { subscriptionId });

export const eventsCount = (app: TestApp, type: string, aggregateId: string) => app.orm.em.fork().count(OutboxEvent, { type, aggregateId });

export const stripeCustomerOf = async (app: TestApp, customerId: string) =>
  (await app.orm.em.fork().findOneOrFail(Customer, { id: customerId })).stripeCustomerId;
