import { writeLock, type EntityManager } from '../../db/orm';
import { Order, OrderStatus, Payment, PaymentLink, PaymentLinkStatus, PaymentMethodKind, PaymentStatus } from '../../entities';
import { cancelOrderAndRestore } from '../orders/cancel-and-restore';
import { newOrderNumber } from '../orders/order-number';
import { recordEvent } from '../outbox/outbox';
import type { AppDeps } from '../app-deps';
import { providerKeys } from '../payments/idempotency-keys';
import { PaymentFailure, PaymentOutcomeUnknown, type PaymentPort } from '../payments/payment-port';
import { logger } from '../shared/logger';
import { isRenewalLinkOrder, claimRenewalSession, endRenewalSession } from './renewal-link-session';

/**
 * A browser opening GET /pay/<token> (the outage this fixes: a link-preview
 * bot opened every emailed link first, its pending order made every later
 * click answer 409, and nobody could pay). Bots never get here (the router
 * answers them without calling this). For a real click, with the link row
 * locked so concurrent clicks make one order:
 * - link PAID → "already paid" (409);
 * - a PENDING_PAYMENT order younger than PAYMENT_LINK_STALE_AFTER → its
 *   existing Checkout Session URL (no new order, no Stripe call);
 * - an older one → CANCELLED (never deleted) and its session expired at
 *   Stripe, then a fresh order and session; none → a fresh order and session.
 * A payment that still lands on a cancelled order is refunded by the payment
 * webhook (settle-order-payment.ts), never kept. A renewal's link is the
 * exception: its order is never replaced, only its session
 * (renewal-link-session.ts).
 */
export type ClickAnswer =
  { kind: 'redirect'; url: string; orderId: string } | { kind: 'paid' } | { kind: 'closed' } | { kind: 'not-found' } | { kind: 'unavailable' };

/** A click needs a provider: without one the link answers `unavailable` before any service runs. */
export type PaymentLinkClickDeps = Pick<AppDeps, 'config' | 'clock' | 'db' | 'stores'> & {
  payments: Pick<PaymentPort, 'startPayment' | 'expireHostedCheckout'>;
};

interface Claimed {
  order: Pick<Order, 'id' | 'number' | 'email' | 'amountDue' | 'currency'>;
  payment: Pick<Payment, 'id' | 'checkoutUrl' | 'expiresAt'>;
  staleSessionId: string | null;
  /** The Idempotency-Key its session is opened under: the order's, or the payment row's for a renewal order. */
  sessionKey: string;
}

/** A renewal order's stale session that may still be open at Stripe: ended there before another is opened. */
interface SessionToEnd {
  endFirst: { paymentId: string; sessionId: string };
}

const SESSION_TTL_BOUNDS_MS = { min: 31 * 60_000, max: 24 * 60 * 60_000 };
/** A concurrent click may find the session still being created under the same key; it asks again briefly. */
const SESSION_ATTEMPTS = 6;
const SESSION_RETRY_DELAY_MS = 150;

export class PaymentLinkClickService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: PaymentLinkClickDeps,
  ) {}

  async click(token: string): Promise<ClickAnswer> {
    let claimed = await this.claim(token);
    if ('endFirst' in claimed) {
      const ended = await this.endSessionAtProvider(claimed.endFirst);
      if (ended !== 'ended') return { kind: ended };
      claimed = await this.claim(token);
      // Another click replaced the session meanwhile and its new one is already stale: rare enough to ask for another click.
      if ('endFirst' in claimed) return { kind: 'unavailable' };
    }
    if ('kind' in claimed) return claimed;
    if (claimed.staleSessionId) await this.expireStaleSession(claimed.staleSessionId);
    if (claimed.payment.checkoutUrl) return { kind: 'redirect', url: claimed.payment.checkoutUrl, orderId: claimed.order.id };
    const url = await this.openSession(claimed);
    return url ? { kind: 'redirect', url, orderId: claimed.order.id } : { kind: 'unavailable' };
  }

  /** One short transaction with the link row locked: reuse, replace or create the pending order. */
  private claim(token: string): Promise<Claimed | ClickAnswer | SessionToEnd> {
    const now = this.deps.clock.now();
    return this.em.fork().transactional(async (raw) => {
      const tx = raw as EntityManager;
      const link = await tx.findOne(PaymentLink, { token }, writeLock(tx));
      if (!link) return { kind: 'not-found' } as const;
      if (link.status === PaymentLinkStatus.PAID) return { kind: 'paid' } as const;
      if (link.status !== PaymentLinkStatus.OPEN) return { kind: 'closed' } as const;
      const pending = await tx.findOne(Order, { paymentLinkId: link.id, status: OrderStatus.PENDING_PAYMENT }, { orderBy: { createdAt: 'desc' } });
      const ttl = Math.min(SESSION_TTL_BOUNDS_MS.max, Math.max(SESSION_TTL_BOUNDS_MS.min, this.deps.config.checkoutSessionTtlMs));
      // Fixed now, so every click asking Stripe under the same key sends identical parameters.
      const expiresAt = new Date(now.getTime() + ttl);
      if (pending && isRenewalLinkOrder(pending)) {
        const renewal = await claimRenewalSession(tx, pending, now, { staleAfterMs: this.deps.config.paymentLinkStaleAfterMs, expiresAt });
        if (renewal.kind === 'closed') return { kind: 'closed' } as const;
        if (renewal.kind === 'end-first') return { endFirst: renewal };
        return { order: pending, payment: renewal.payment, staleSessionId: null, sessionKey: providerKeys.linkSession(renewal.payment.id) };
      }
      // A renewal order ended (its period given up, or its subscription cancelled): its link pays nothing else.
      if (!pending && (await tx.count(Order, { paymentLinkId: link.id, subscriptionId: { $ne: null } })) > 0) return { kind: 'closed' } as const;
      let staleSessionId: string | null = null;
      if (pending) {
        const payment = await tx.findOneOrFail(Payment, { orderId: pending.id }, { orderBy: { createdAt: 'desc' } });
        if (now.getTime() - pending.createdAt.getTime() < this.deps.config.paymentLinkStaleAfterMs) {
          return { order: pending, payment, staleSessionId: null, sessionKey: providerKeys.payment(pending.id) };
        }
        await cancelOrderAndRestore(
          this.deps.db.unitOfWork(tx),
          this.deps.stores,
          pending,
          OrderStatus.PENDING_PAYMENT,
          'payment link: pending order went stale and was replaced',
          now,
        );
        staleSessionId = payment.providerReference;
      }
      const order = tx.create(Order, {
        number: newOrderNumber(now),
        status: OrderStatus.PENDING_PAYMENT,
        email: link.email,
        customerId: link.customerId,
        paymentLinkId: link.id,
        paymentKind: PaymentMethodKind.HOSTED_CHECKOUT,
        currency: link.currency,
        subtotal: link.amount,
        total: link.amount,
        amountDue: link.amount,
        createdAt: now,
      });
      const payment = tx.create(Payment, {
        orderId: order.id,
        kind: PaymentMethodKind.HOSTED_CHECKOUT,
        amount: link.amount,
        currency: link.currency,
        expiresAt,
        createdAt: now,
      });
      recordEvent(tx, {
        type: 'payment_link.order_created',
        aggregateId: link.id,
        payload: { paymentLinkId: link.id, orderId: order.id, replacedOrderId: pending?.id ?? null },
      });
      return { order, payment, staleSessionId, sessionKey: providerKeys.payment(order.id) };
    });
  }

  /**
   * Ends a renewal order's stale session at Stripe, and only then its payment
   * row, so the next claim may open another. Paid meanwhile: its webhook
   * places the order. Stripe unreachable: nothing changes, the buyer clicks again.
   */
  private async endSessionAtProvider({ paymentId, sessionId }: SessionToEnd['endFirst']): Promise<'ended' | 'paid' | 'unavailable'> {
    try {
      const truth = await this.deps.payments.expireHostedCheckout(sessionId, providerKeys.expireSession(sessionId));
      if (truth.status === 'CAPTURED' || truth.status === 'AUTHORIZED') return 'paid';
      if (truth.status !== 'CANCELLED' && truth.status !== 'FAILED') return 'unavailable';
    } catch (error) {
      logger.warn('payment_link.renewal_session_not_expired', { sessionId, error });
      return 'unavailable';
    }
    await this.em.fork().transactional((tx) => endRenewalSession(tx as EntityManager, paymentId, PaymentStatus.CANCELLED));
    return 'ended';
  }

  /** Best effort: an unexpired stale session that still gets paid is refunded by the payment webhook. */
  private async expireStaleSession(sessionId: string): Promise<void> {
    if (!sessionId.startsWith('cs_')) return;
    try {
      await this.deps.payments.expireHostedCheckout(sessionId, providerKeys.expireSession(sessionId));
    } catch (error) {
      logger.warn('payment_link.stale_session_not_expired', { sessionId, error });
    }
  }

  /**
   * Creates the order's Checkout Session outside any transaction with the order
   * id as key, and records it on the payment unless a concurrent click already
   * did (then both carry the same session: same key, same parameters).
   */
  private async openSession({ order, payment, sessionKey }: Claimed): Promise<string | null> {
    for (let attempt = 1; attempt <= SESSION_ATTEMPTS; attempt++) {
      try {
        const session = await this.deps.payments.startPayment({
          orderId: order.id,
          idempotencyKey: sessionKey,
          kind: PaymentMethodKind.HOSTED_CHECKOUT,
          amount: order.amountDue,
          currency: order.currency,
          email: order.email,
          paymentMethodId: null,
          returnUrl: null,
          orderNumber: order.number,
          sessionExpiresAt: payment.expiresAt,
        });
        const em = this.em.fork();
        await em.nativeUpdate(
          Payment,
          { id: payment.id, providerReference: null },
          { providerReference: session.providerReference, checkoutUrl: session.checkoutUrl },
        );
        const stored = await em.findOneOrFail(Payment, { id: payment.id });
        return stored.checkoutUrl;
      } catch (error) {
        if (!(error instanceof PaymentOutcomeUnknown) && !(error instanceof PaymentFailure)) throw error;
        logger.warn('payment_link.session_not_created', { orderId: order.id, attempt, error });
        if (error instanceof PaymentFailure || attempt === SESSION_ATTEMPTS) return null;
        await new Promise((resolve) => setTimeout(resolve, SESSION_RETRY_DELAY_MS * attempt));
      }
    }
    return null;
  }
}
