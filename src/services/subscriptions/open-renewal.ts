import type { EntityManager } from '../../db/orm';
import type { EndedSubscription } from '../../db/stores/renewal-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import { Order, OrderLine, OrderStatus, Payment, PaymentMethodKind, PaymentStatus, Subscription, SubscriptionStatus, VariantKind } from '../../entities';
import { newId } from '../../entities/columns';
import type { AppDeps } from '../app-deps';
import { spendCredit } from '../credit/credit-ledger';
import { newOrderNumber } from '../orders/order-number';
import { recordEvent } from '../outbox/outbox';
import { transition } from '../state/transition';
import { periodStartingAt } from './billing-time';
import { settlePaidRenewal } from './renewal-settlement';

/** What one opening transaction did: nothing was due, a subscription ended at its period's end, or a renewal was written (paid by credit, or to charge). */
export type OpenedRenewal = { kind: 'none' } | { kind: 'ended' } | { kind: 'credit-covered' } | { kind: 'to-charge' } | { kind: 'already-open' };

export type RenewalOpeningDeps = Pick<AppDeps, 'db' | 'stores' | 'config'>;

/**
 * One transaction for one ended subscription (claimed so no other process
 * takes it meanwhile): a subscription asked to cancel at its period's end is
 * CANCELED and loses access, with no new order; any other gets its next
 * period (OPEN, due at once) and its renewal order PENDING_PAYMENT at the
 * plan's current price, store credit spent first when it was bought with
 * credit. When credit covers it all, the period is PAID and the order PLACED
 * right here: nothing is left to charge.
 */
export function openNextRenewal(deps: RenewalOpeningDeps, em: EntityManager, now: Date): Promise<OpenedRenewal> {
  return deps.db.transaction(em, async (uow) => {
    const ended = await deps.stores.renewals.claimEnded(uow, now);
    if (!ended) return { kind: 'none' };
    if (ended.cancelAtPeriodEnd) {
      await endAtPeriodEnd(uow, ended, now);
      return { kind: 'ended' };
    }
    const cycle = { interval: ended.billingInterval, intervalCount: ended.billingIntervalCount };
    const period = periodStartingAt(ended.anchor, cycle, ended.currentPeriodEnd, deps.config.billing.daySeconds);
    if (!period) throw new Error(`subscription ${ended.id}: its period end is not one of its billing boundaries`);
    const periodId = newId();
    const orderId = newId();
    const written = await deps.stores.renewals.insertPeriod(uow, {
      id: periodId,
      subscriptionId: ended.id,
      periodStart: period.start,
      periodEnd: period.end,
      orderId,
      nextAttemptAt: now,
      createdAt: now,
    });
    if (!written) return { kind: 'already-open' };
    const creditApplied = ended.useCredit ? await creditToSpend(uow, deps, ended) : 0;
    const amountDue = ended.price - creditApplied;
    const paymentKind = amountDue === 0 ? PaymentMethodKind.STORE_CREDIT : PaymentMethodKind.CARD;
    await insertRenewalOrder(uow, ended, { orderId, creditApplied, amountDue, paymentKind, now });
    await spendCredit(uow.em, { customerId: ended.customerId, currency: ended.currency, amount: creditApplied, orderId, now });
    if (amountDue > 0) return { kind: 'to-charge' };
    await settlePaidRenewal(uow, deps.stores, {
      subscriptionId: ended.id,
      periodId,
      periodStart: period.start,
      periodEnd: period.end,
      attempt: 0,
      order: { id: orderId, customerId: ended.customerId, paymentKind, creditApplied, amountDue, paymentLinkId: null },
      payment: { captured: creditApplied },
      now,
    });
    return { kind: 'credit-covered' };
  });
}

async function endAtPeriodEnd(uow: UnitOfWork, ended: EndedSubscription, now: Date): Promise<void> {
  const moved = await transition(uow.em, Subscription, ended.id, [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE], SubscriptionStatus.CANCELED, {
    entitled: false,
    canceledAt: now,
  });
  if (moved === 1) recordEvent(uow.em, { type: 'subscription.canceled', aggregateId: ended.id, payload: { subscriptionId: ended.id, reason: 'period_end' } });
}

/** The customer's credit in the plan's currency, up to the price, read under the holder's lock so two spends cannot share one balance. */
async function creditToSpend(uow: UnitOfWork, deps: RenewalOpeningDeps, ended: EndedSubscription): Promise<number> {
  await deps.stores.credit.lockHolder(uow, ended.customerId);
  const balance = await deps.stores.credit.balance(uow, ended.customerId, ended.currency);
  return Math.max(0, Math.min(balance, ended.price));
}

interface RenewalOrderTerms {
  orderId: string;
  creditApplied: number;
  amountDue: number;
  paymentKind: PaymentMethodKind;
  now: Date;
}

/** The renewal order: one line, the plan at its current price, no shipping or tax; its payment row asks the card for what credit left. */
async function insertRenewalOrder(uow: UnitOfWork, ended: EndedSubscription, terms: RenewalOrderTerms): Promise<void> {
  const { orderId, creditApplied, amountDue, paymentKind, now } = terms;
  uow.defer(Order, {
    id: orderId,
    number: newOrderNumber(now),
    status: OrderStatus.PENDING_PAYMENT,
    email: ended.email,
    customerId: ended.customerId,
    subscriptionId: ended.id,
    paymentKind,
    currency: ended.currency,
    voucherCodes: [],
    shippingMethodId: null,
    shippingMethodName: null,
    shippingAddress: null,
    subtotal: ended.price,
    discount: 0,
    shipping: 0,
    shippingDiscount: 0,
    tax: 0,
    total: ended.price,
    creditApplied,
    amountDue,
    refunded: 0,
    digitalUnits: 0,
    createdAt: now,
    placedAt: null,
  });
  uow.defer(OrderLine, {
    id: newId(),
    order: orderId,
    position: 0,
    variantId: ended.planVariantId,
    kind: VariantKind.SUBSCRIPTION,
    sku: ended.planSku,
    name: ended.planName,
    quantity: 1,
    unitPrice: ended.price,
    discount: 0,
    total: ended.price,
    tax: 0,
  });
  const paidByCredit = paymentKind === PaymentMethodKind.STORE_CREDIT;
  await uow.insert(Payment, {
    id: newId(),
    orderId,
    kind: paymentKind,
    status: PaymentStatus.PENDING,
    amount: paidByCredit ? creditApplied : amountDue,
    captured: 0,
    currency: ended.currency,
    checkoutUrl: null,
    clientSecret: null,
    providerReference: null,
    createdAt: now,
  });
}
