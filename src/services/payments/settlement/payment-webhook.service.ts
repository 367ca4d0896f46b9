import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Database } from '../../../db/database';
import type { EntityManager } from '../../../db/orm';
import type { Stores } from '../../../db/stores';
import { Order, Payment } from '../../../entities';
import type { Clock } from '../../shared/clock';
import { isId } from '../../shared/ids';
import { logger } from '../../shared/logger';
import { alreadyProcessed, recordProcessed } from '../../shared/processed-webhooks';
import { PaymentOutcomeUnknown, type PaymentPort, type ProviderEvent, type ProviderPayment } from '../payment-port';
import { settleOrderPayment, type SettlementResult } from './settle-order-payment';
import { handleRefundEvent } from '../../refunds/refund-webhooks';

/** The events whose effect this service applies; every other type is acknowledged and ignored. */
export const HANDLED_PAYMENT_EVENTS: ReadonlySet<string> = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'checkout.session.completed',
  'checkout.session.expired',
]);

export type WebhookAnswer =
  | { status: 200; outcome: 'applied' | 'duplicate' | 'ignored'; detail?: string }
  /** Not ours to act on yet (checkout is still driving the order) or Stripe unreachable: Stripe redelivers later. */
  | { status: 409 | 503; outcome: 'retry-later'; detail: string };

export interface PaymentWebhookDeps {
  em: EntityManager;
  db: Database;
  stores: Stores;
  clock: Clock;
  payments: PaymentPort;
}

/**
 * Applies one verified provider event. The event's own payload is only a hint:
 * the order id comes from its metadata and the truth from the provider right now
 * (so events arriving out of order or late cannot move an order backwards).
 * The event id is inserted in the same transaction as the effect, so any
 * number of redeliveries has one effect: a later one finds the id, and one
 * racing it loses on the id's primary key. Refund events go to the refunds area.
 */
export async function handlePaymentEvent(deps: PaymentWebhookDeps, event: ProviderEvent): Promise<WebhookAnswer> {
  const { subject } = event;
  if (subject.kind === 'payment' && !HANDLED_PAYMENT_EVENTS.has(event.type))
    return { status: 200, outcome: 'ignored', detail: `type ${event.type} is not handled` };
  if (await alreadyProcessed(deps.em, event)) return { status: 200, outcome: 'duplicate' };
  try {
    return subject.kind === 'payment'
      ? await applyPaymentEvent(deps, event, subject)
      : await handleRefundEvent({ em: deps.em, clock: deps.clock, payments: deps.payments }, event, subject);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return { status: 200, outcome: 'duplicate' };
    throw error;
  }
}

async function applyPaymentEvent(
  deps: PaymentWebhookDeps,
  event: ProviderEvent,
  subject: Extract<ProviderEvent['subject'], { kind: 'payment' }>,
): Promise<WebhookAnswer> {
  const { orderId, objectId } = subject;
  if (!orderId || !isId(orderId) || objectId === null) {
    return recordOnly(deps, event, 'ignored', 'the object names no Tillgate order');
  }
  // An order id we never wrote (another system's object on the same account): nothing to ask Stripe about.
  if (!(await deps.em.fork().findOne(Order, { id: orderId }, { fields: ['id'] }))) return recordOnly(deps, event, 'ignored', 'no such order');

  let truth: ProviderPayment | null;
  try {
    truth = await deps.payments.lookupPayment(orderId, await storedReferenceOr(deps.em, orderId, objectId));
  } catch (error) {
    if (error instanceof PaymentOutcomeUnknown) {
      logger.warn('webhook.stripe_unreachable', { eventId: event.id, orderId, error });
      return { status: 503, outcome: 'retry-later', detail: 'Stripe could not be asked about the payment' };
    }
    throw error;
  }

  const settlementDeps = { em: deps.em, db: deps.db, stores: deps.stores, clock: deps.clock, payments: deps.payments };
  return answerFor(await settleOrderPayment(settlementDeps, orderId, truth, (tx) => recordProcessed(tx, event, deps.clock.now())));
}

function answerFor(result: SettlementResult): WebhookAnswer {
  switch (result.kind) {
    case 'checkout-owns-order':
      return { status: 409, outcome: 'retry-later', detail: 'checkout is still completing this order' };
    case 'already-recorded':
      return { status: 200, outcome: 'duplicate' };
    case 'no-order':
      return { status: 200, outcome: 'ignored', detail: 'no such order' };
    case 'placed':
    case 'cancelled':
    case 'refunded-charge-on-cancelled-order':
    case 'refunded-unplaceable-order':
    case 'no-change':
    case 'session-ended':
      return { status: 200, outcome: 'applied', detail: result.kind };
  }
}

/** The reference checkout stored for the order wins (for a hosted order, the session, not its PaymentIntent). */
async function storedReferenceOr(em: EntityManager, orderId: string, eventObjectId: string): Promise<string> {
  const payment = await em.fork().findOne(Payment, { orderId }, { orderBy: { createdAt: 'desc' } });
  return payment?.providerReference ?? eventObjectId;
}

async function recordOnly(deps: PaymentWebhookDeps, event: ProviderEvent, outcome: 'ignored', detail: string): Promise<WebhookAnswer> {
  await deps.em.fork().transactional((tx) => recordProcessed(tx as EntityManager, event, deps.clock.now()));
  return { status: 200, outcome, detail };
}
