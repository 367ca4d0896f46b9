import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type Stripe from 'stripe';
import type { EntityManager } from '../../db/orm';
import { Payment, ProcessedWebhookEvent, Refund, RefundStatus } from '../../entities';
import type { Clock } from '../shared/clock';
import { isId } from '../shared/ids';
import { applyProviderAnswerIn, askProviderToRefund } from './refund-dispatch';
import { answerFromStripeRefund, StripeRefundProvider, type ProviderRefundAnswer } from './refund-provider';

/** Refund events settle refunds; the payment webhook dispatcher hands them here. */
export const REFUND_EVENTS: ReadonlySet<string> = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refunded']);

export const isRefundEvent = (event: Stripe.Event): boolean => REFUND_EVENTS.has(event.type);

export interface RefundWebhookDeps {
  em: EntityManager;
  clock: Clock;
  stripe: Stripe;
}

export type RefundWebhookAnswer =
  | { status: 200; outcome: 'applied' | 'duplicate' | 'ignored'; detail?: string }
  /** Stripe could not say what became of a refund: nothing is recorded, so Stripe's redelivery asks again. */
  | { status: 503; outcome: 'retry-later'; detail: string };

async function recordEventId(tx: EntityManager, event: Stripe.Event, now: Date): Promise<void> {
  await tx.insert(ProcessedWebhookEvent, { id: event.id, type: event.type, processedAt: now });
}

/** Our refund behind a Stripe refund: by the id Stripe gave it, else by the refund id we put in its metadata. */
async function findOurRefund(em: EntityManager, stripeRefund: Stripe.Refund): Promise<Refund | null> {
  const byProviderId = await em.findOne(Refund, { providerRefundId: stripeRefund.id });
  if (byProviderId) return byProviderId;
  const refundId = stripeRefund.metadata?.refund_id;
  return isId(refundId) ? em.findOne(Refund, { id: refundId }) : null;
}

/**
 * refund.created / refund.updated / refund.failed carry the refund: a final
 * status settles ours, in the same transaction as the event id (so a
 * redelivery has no second effect); `pending` only records Stripe's id.
 */
async function applyRefundObject(deps: RefundWebhookDeps, event: Stripe.Event): Promise<RefundWebhookAnswer> {
  const stripeRefund = event.data.object as Stripe.Refund;
  const ours = await findOurRefund(deps.em.fork(), stripeRefund);
  const answer = answerFromStripeRefund(stripeRefund);
  const now = deps.clock.now();
  const applied = await deps.em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await recordEventId(tx, event, now);
    if (!ours || ours.status !== RefundStatus.PENDING) return false;
    return applyProviderAnswerIn(tx, ours.id, answer, now);
  });
  return applied ? { status: 200, outcome: 'applied' } : { status: 200, outcome: 'ignored', detail: 'no pending refund of ours' };
}

/**
 * charge.refunded names the charge, not the refund. A refund of that payment
 * still PENDING without a Stripe id lost its answer: it is sent again with its
 * own key (outside any transaction), so Stripe replays what it did; then the
 * answers are applied and the event id recorded in ONE transaction (DESIGN
 * invariant 8), so a redelivery finds the event and has no second effect. If
 * Stripe cannot answer for one of them, nothing is recorded and the delivery
 * is refused with 503: Stripe redelivers and the same keys are asked again.
 */
async function recheckChargeRefunds(deps: RefundWebhookDeps, event: Stripe.Event): Promise<RefundWebhookAnswer> {
  const charge = event.data.object as Stripe.Charge;
  const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  const em = deps.em.fork();
  const payment = intentId ? await em.findOne(Payment, { $or: [{ providerPaymentIntentId: intentId }, { providerReference: intentId }] }) : null;
  const unanswered = payment
    ? await em.find(Refund, { orderId: payment.orderId, status: RefundStatus.PENDING, providerRefundId: null, providerAmount: { $gt: 0 } })
    : [];
  const provider = new StripeRefundProvider(deps.stripe);
  const answers: { refundId: string; answer: ProviderRefundAnswer }[] = [];
  for (const refund of unanswered) {
    const answer = await askProviderToRefund(em, provider, refund.id);
    if (answer?.kind === 'unknown') return { status: 503, outcome: 'retry-later', detail: `Stripe could not say what became of refund ${refund.id}` };
    if (answer) answers.push({ refundId: refund.id, answer });
  }
  const now = deps.clock.now();
  const moved = await deps.em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await recordEventId(tx, event, now);
    let count = 0;
    for (const { refundId, answer } of answers) if (await applyProviderAnswerIn(tx, refundId, answer, now)) count += 1;
    return count;
  });
  return moved > 0 ? { status: 200, outcome: 'applied' } : { status: 200, outcome: 'ignored', detail: 'no unanswered refund' };
}

/** Applies one verified refund event (the caller verified its signature). */
export async function handleRefundEvent(deps: RefundWebhookDeps, event: Stripe.Event): Promise<RefundWebhookAnswer> {
  if (await deps.em.fork().findOne(ProcessedWebhookEvent, { id: event.id })) return { status: 200, outcome: 'duplicate' };
  try {
    return event.type === 'charge.refunded' ? await recheckChargeRefunds(deps, event) : await applyRefundObject(deps, event);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return { status: 200, outcome: 'duplicate' };
    throw error;
  }
}
