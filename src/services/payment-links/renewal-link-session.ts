import type { EntityManager } from '../../db/orm';
import { LIVE_SUBSCRIPTION_STATUSES, Order, Payment, PaymentMethodKind, PaymentStatus, Subscription } from '../../entities';
import { transition } from '../state/transition';

/**
 * A renewal's payment link pays the renewal order itself, and that order
 * belongs to its period: only the renewal worker ends it (paid, or given up
 * after the last retry). So a click never cancels or replaces a renewal order
 * the way it replaces a plain link's stale order, which would leave the period
 * billing an order nobody can pay and hand the money to an order that bills
 * nothing. Only the order's hosted session is replaced, each one a payment row
 * of its own, and a new one is opened only after Stripe has ended the old, so
 * two sessions can never both take the period's money.
 */
export type RenewalSessionClaim =
  /** Pay through this payment row's session (reused while fresh, or new: opened under its own key). */
  | { kind: 'session'; payment: Payment }
  /** The latest session is stale but may still be open at Stripe: end it there first, then claim again. */
  | { kind: 'end-first'; paymentId: string; sessionId: string }
  /** The subscription ended: its renewal can no longer be paid. */
  | { kind: 'closed' };

export interface RenewalSessionTerms {
  staleAfterMs: number;
  /** When a new session would lapse. */
  expiresAt: Date;
}

/**
 * A renewal order offered through a payment link. A plan's first order bills
 * a subscription too but comes from a cart, never a link: its unpaid end is
 * the ordinary one (INCOMPLETE_EXPIRED).
 */
export const isRenewalLinkOrder = (order: Pick<Order, 'subscriptionId' | 'paymentLinkId'>): boolean =>
  order.subscriptionId !== null && order.paymentLinkId !== null;

/** In the click's transaction, with the link row locked: which session of the pending renewal order the buyer pays through. */
export async function claimRenewalSession(
  tx: EntityManager,
  order: Pick<Order, 'id' | 'subscriptionId' | 'amountDue' | 'currency'>,
  now: Date,
  terms: RenewalSessionTerms,
): Promise<RenewalSessionClaim> {
  const live = await tx.count(Subscription, { id: order.subscriptionId!, status: { $in: [...LIVE_SUBSCRIPTION_STATUSES] } });
  if (live === 0) return { kind: 'closed' };
  const rows = await tx.find(Payment, { orderId: order.id }, { orderBy: { createdAt: 'desc' } });
  const latest = rows.find((row) => row.status === PaymentStatus.PENDING);
  if (latest) {
    // The renewal's own row (written before any link existed) has no expiry: it never carries a session.
    const fresh = latest.expiresAt !== null && now.getTime() - latest.createdAt.getTime() < terms.staleAfterMs;
    if (fresh) return { kind: 'session', payment: latest };
    if (latest.providerReference?.startsWith('cs_')) return { kind: 'end-first', paymentId: latest.id, sessionId: latest.providerReference };
    await transition(tx, Payment, latest.id, PaymentStatus.PENDING, PaymentStatus.CANCELLED);
  }
  const payment = tx.create(Payment, {
    orderId: order.id,
    kind: PaymentMethodKind.HOSTED_CHECKOUT,
    amount: order.amountDue,
    currency: order.currency,
    expiresAt: terms.expiresAt,
    // Settlement reads an order's newest row as its payment: the one replacing another must sort after it, even when
    // the row it replaces was written by a renewal worker whose clock runs ahead of this process's.
    createdAt: new Date(Math.max(now.getTime(), (rows[0]?.createdAt.getTime() ?? 0) + 1)),
  });
  return { kind: 'session', payment };
}

/**
 * A renewal order's session ended unpaid (expired at Stripe, by its sweeper or
 * a click replacing it): that payment row ends, the order stays PENDING_PAYMENT
 * for the next click or the renewal worker's retries.
 */
export async function endRenewalSession(tx: EntityManager, paymentId: string, outcome: PaymentStatus.CANCELLED | PaymentStatus.FAILED): Promise<void> {
  await transition(tx, Payment, paymentId, PaymentStatus.PENDING, outcome);
}
