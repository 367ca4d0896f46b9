import type { SubscriptionStore } from '../../db/stores/subscription-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import { Customer, PaymentMethodKind, SubscriptionStatus, Variant } from '../../entities';
import { newId } from '../../entities/columns';
import type { CartSnapshot } from '../cart/cart-snapshot';
import { isPlan } from '../catalog/variant-kinds';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure, type Failure } from '../shared/outcome';
import { billingPeriod } from './billing-time';

/** The subscription a plan's order starts, and the provider customer its card is saved to (null until the first card payment makes one). */
export interface PlanOrder {
  subscriptionId: string;
  stripeCustomerId: string | null;
}

export interface PlanCheckout {
  cart: Pick<CartSnapshot, 'customerId' | 'lines'>;
  orderId: string;
  paymentMethod: PaymentMethodKind;
  useCredit: boolean;
  daySeconds: number;
  now: Date;
}

const alreadySubscribed = (): Failure => userFailure(ErrorCode.ALREADY_SUBSCRIBED, 'You already hold a live subscription to this plan.', 'cartId');

/**
 * startCheckout's early answer for a customer who already holds the plan in
 * the cart live: ALREADY_SUBSCRIBED before anything is held. Null, with no
 * statement, for a cart without a plan or without a customer (the cart rules
 * refuse those). A read, so two checkouts can still race past it: the
 * confirm-time insert (startSubscriptionFor) is the one the unique index backs.
 */
export async function liveSubscriptionFailure(
  uow: UnitOfWork,
  subscriptions: SubscriptionStore,
  cart: Pick<CartSnapshot, 'customerId' | 'lines'>,
): Promise<Failure | null> {
  const planLine = cart.lines.find((line) => isPlan(line.kind));
  if (!planLine || !cart.customerId) return null;
  return (await subscriptions.holdsLive(uow, cart.customerId, planLine.variantId)) ? alreadySubscribed() : null;
}

/**
 * A plan's checkout, in create-order's transaction before any outside call
 * (the pivot rule): the subscription INCOMPLETE, not entitled, with its first
 * period OPEN naming the order; only placing the paid order activates it
 * (first-period.ts). A customer who holds the plan live gets
 * ALREADY_SUBSCRIBED; one with another checkout of it under way,
 * CHECKOUT_IN_PROGRESS. Null, with no statement, for a cart without a plan.
 * The claim step has checked the cart's shape (plan-cart-rules.ts).
 */
export async function startSubscriptionFor(uow: UnitOfWork, subscriptions: SubscriptionStore, checkout: PlanCheckout): Promise<PlanOrder | null> {
  const planLine = checkout.cart.lines.find((line) => isPlan(line.kind));
  if (!planLine) return null;
  const customerId = checkout.cart.customerId;
  if (!customerId) throw new Error('a plan reached create-order without a signed-in customer');
  const plan = await uow.em.findOneOrFail(Variant, { id: planLine.variantId }, { fields: ['billingInterval', 'billingIntervalCount'] });
  if (!plan.billingInterval) throw new Error(`plan ${planLine.variantId} has no billing interval`);
  const customer = await uow.em.findOneOrFail(Customer, { id: customerId }, { fields: ['stripeCustomerId'] });
  const cycle = { interval: plan.billingInterval, intervalCount: plan.billingIntervalCount ?? 1 };
  const first = billingPeriod(checkout.now, cycle, 0, checkout.daySeconds);
  const subscriptionId = newId();
  const started = await subscriptions.start(uow, {
    id: subscriptionId,
    customerId,
    planVariantId: planLine.variantId,
    billingInterval: cycle.interval,
    billingIntervalCount: cycle.intervalCount,
    useCredit: checkout.useCredit || checkout.paymentMethod === PaymentMethodKind.STORE_CREDIT,
    stripeCustomerId: customer.stripeCustomerId,
    firstPeriod: { id: newId(), orderId: checkout.orderId, start: first.start, end: first.end },
    now: checkout.now,
  });
  if (started === SubscriptionStatus.INCOMPLETE) {
    abortWith(userFailure(ErrorCode.CHECKOUT_IN_PROGRESS, 'Another checkout of this plan is under way; finish or cancel it first.', 'cartId'));
  }
  if (started !== 'started') abortWith(alreadySubscribed());
  return { subscriptionId, stripeCustomerId: customer.stripeCustomerId };
}
