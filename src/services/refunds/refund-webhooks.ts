import type { EntityManager } from '../../db/orm';
import { Payment, Refund, RefundStatus } from '../../entities';
import type { Clock } from '../shared/clock';
import { isId } from '../shared/ids';
import { recordProcessed } from '../shared/processed-webhooks';
import type { ProviderEvent, ProviderRefundAnswer } from '../payments/payment-port';
import { applyProviderAnswerIn, askProviderToRefund, type RefundProvider } from './refund-dispatch';

/** Refund events settle refunds; the payment webhook dispatcher hands them here. */
export const REFUND_EVENTS: ReadonlySet<string> = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refunded']);

type RefundSubject = Extract<ProviderEvent['subject'], { kind: 'refund' }>;
type ChargeRefundedSubject = Extract<ProviderEvent['subject'], { kind: 'charge-refunded' }>;

export interface RefundWebhookDeps {
  em: EntityManager;
  clock: Clock;
  payments: RefundProvider;
}

export type RefundWebhookAnswer =
  | { status: 200; outcome: 'applied' | 'duplicate' | 'ignored'; detail?: string }
  /** Stripe could not say what became of a refund: nothing is recorded, so Stripe's redelivery asks again. */
  | { status: 503; outcome: 'retry-later'; detail: string };

/** Our refund behind a provider's refund: by the id the provider gave it, else by the refund id we put in its metadata. */
async function findOurRefund(em: EntityManager, subject: RefundSubject): Promise<Refund | null> {
  const byProviderId = await em.findOne(Refund, { providerRefundId: subject.providerRefundId });
  if (byProviderId) return byProviderId;
  return isId(subject.refundId) ? em.findOne(Refund, { id: subject.refundId }) : null;
}

/**
 * refund.created / refund.updated / refund.failed carry the refund: a final
 * status settles ours, in the same transaction as the event id (so a
 * redelivery has no second effect); `pending` only records Stripe's id.
 */
async function applyRefundObject(deps: RefundWebhookDeps, event: ProviderEvent, subject: RefundSubject): Promise<RefundWebhookAnswer> {
  const ours = await findOurRefund(deps.em.fork(), subject);
  const { answer } = subject;
  const now = deps.clock.now();
  const applied = await deps.em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await recordProcessed(tx, event, now);
    if (!ours || ours.status !== RefundStatus.PENDING) return false;
    return applyProviderAnswerIn(tx, ours.id, answer, now);
  });
  return applied ? { status: 200, outcome: 'applied' } : { status: 200, outcome: 'ignored', detail: 'no pending refund of ours' };
}

/**
 * charge.refunded names the charge, not the refund. A refund of that payment
 * still PENDING without a Stripe id lost its answer: it is sent again with its
 * own key (outside any transaction), so Stripe replays what it did; then the
 * answers are applied and the event id recorded in ONE transaction
 * (invariant 8), so a redelivery finds the event and has no second effect. If
 * Stripe cannot answer for one of them, nothing is recorded and the delivery
 * is refused with 503: Stripe redelivers and the same keys are asked again.
 */
async function recheckChargeRefunds(deps: RefundWebhookDeps, event: ProviderEvent, subject: ChargeRefundedSubject): Promise<RefundWebhookAnswer> {
  const intentId = subject.paymentIntentId;
  const em = deps.em.fork();
  const payment = intentId ? await em.findOne(Payment, { $or: [{ providerPaymentIntentId: intentId }, { providerReference: intentId }] }) : null;
  const unanswered = payment
    ? await em.find(Refund, { orderId: payment.orderId, status: RefundStatus.PENDING, providerRefundId: null, providerAmount: { $gt: 0 } })
    : [];
  const answers: { refundId: string; answer: ProviderRefundAnswer }[] = [];
  for (const refund of unanswered) {
    const answer = await askProviderToRefund(em, deps.payments, refund.id);
    if (answer?.kind === 'unknown') return { status: 503, outcome: 'retry-later', detail: `Stripe could not say what became of refund ${refund.id}` };
    if (answer) answers.push({ refundId: refund.id, answer });
  }
  const now = deps.clock.now();
  const moved = await deps.em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await recordProcessed(tx, event, now);
    let count = 0;
    for (const { refundId, answer } of answers) if (await applyProviderAnswerIn(tx, refundId, answer, now)) count += 1;
    return count;
  });
  return moved > 0 ? { status: 200, outcome: 'applied' } : { status: 200, outcome: 'ignored', detail: 'no unanswered refund' };
}

/**
 * Applies one verified refund event that was not processed before (the
 * webhook checked its signature and its id; a racing duplicate fails on the
 * id's primary key and is answered by the webhook).
 */
export function handleRefundEvent(deps: RefundWebhookDeps, event: ProviderEvent, subject: RefundSubject | ChargeRefundedSubject): Promise<RefundWebhookAnswer> {
  return subject.kind === 'charge-refunded' ? recheckChargeRefunds(deps, event, subject) : applyRefundObject(deps, event, subject);
}
