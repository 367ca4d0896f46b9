import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import type { DueCharge } from '../../db/stores/renewal-store';
import { OrderStatus, SubscriptionStatus } from '../../entities';
import { subscriptionRenewals } from '../../observability/metrics';
import type { AppDeps } from '../app-deps';
import { providerKeys } from '../payments/idempotency-keys';
import type { OffSessionChargeOutcome } from '../payments/payment-port';
import { settleOrderPayment } from '../payments/settlement/settle-order-payment';
import { retryTransient } from '../shared/db-retry';
import { FailureSignal } from '../shared/outcome';
import { logger } from '../shared/logger';
import { renewalRetryAt } from './billing-time';
import { openNextRenewal, type OpenedRenewal } from './open-renewal';
import { giveUpPeriod, offerPaymentLink, recordDecline } from './renewal-outcomes';
import { isSubscriptionEnded } from './renewal-period';
import { settlePaidRenewal } from './renewal-settlement';

/** Subscriptions opened, and charges made, per round: a backlog drains over rounds the runner starts at once. */
const BATCH_SIZE = 25;

export type RenewalDeps = Pick<AppDeps, 'db' | 'stores' | 'config' | 'payments'>;

export type ChargeResult = 'succeeded' | 'declined' | 'uncollectible' | 'unknown' | 'requires_action' | 'settled_elsewhere' | 'given_back';

const OPENED_OUTCOME: Partial<Record<OpenedRenewal['kind'], string>> = { 'credit-covered': 'credit_covered', ended: 'ended' };

/**
 * The gateway's own renewals, one round at a time, safe with any number of
 * processes running rounds at once:
 * 1. each ended subscription, in its own transaction, gets its next period and
 *    renewal order (or ends, when asked to at its period's end); store credit
 *    may pay it there and then;
 * 2. the periods whose charge is due are leased (the lease is their
 *    next_attempt_at, pushed forward by SAGA_RECOVERY_GRACE), then each is
 *    charged off session with no transaction open, under the key of its
 *    period and attempt; the answer is recorded in a transaction of its own.
 * A process that dies between the two leaves the period leased: when the
 * lease lapses the next round asks again with the SAME key, and the provider
 * answers what it did the first time, so a period is never charged twice.
 */
export class RenewalService {
  constructor(private readonly deps: RenewalDeps) {}

  async runRound(em: EntityManager, now: Date): Promise<number> {
    let handled = 0;
    for (let i = 0; i < BATCH_SIZE; i++) {
      const opened = await retryTransient(() => openNextRenewal(this.deps, em, now));
      if (opened.kind === 'none') break;
      handled += 1;
      const outcome = OPENED_OUTCOME[opened.kind];
      if (outcome) subscriptionRenewals.inc({ outcome });
    }
    if (!this.deps.payments) return handled;
    const leaseUntil = new Date(now.getTime() + this.deps.config.sagaRecoveryGraceMs);
    const due = await this.deps.db.transaction(em, (uow) => this.deps.stores.renewals.claimDueCharges(uow, now, leaseUntil, BATCH_SIZE));
    for (const charge of due) {
      try {
        const result = await this.charge(em, charge, now);
        subscriptionRenewals.inc({ outcome: result });
        if (result !== 'unknown') handled += 1;
      } catch (error) {
        // Left leased: the next round after the lease asks again with the same key.
        logger.error('subscription.renewal_failed', { subscriptionId: charge.subscriptionId, periodId: charge.periodId, error });
      }
    }
    return handled;
  }

  /** One due period: charged (or found settled), and the answer recorded. */
  async charge(em: EntityManager, charge: DueCharge, now: Date): Promise<ChargeResult> {
    const { db, stores } = this.deps;
    const attempt = charge.attemptCount + 1;
    if (charge.orderStatus === OrderStatus.PLACED) {
      // Its payment link was paid: the order is placed, only the period and the subscription follow.
      await db.transaction(em, (uow) => settlePaidRenewal(uow, stores, { ...this.paid(charge, charge.attemptCount, now), orderPlaced: true }));
      return 'settled_elsewhere';
    }
    const live = charge.subscriptionStatus === 'ACTIVE' || charge.subscriptionStatus === 'PAST_DUE';
    if (!live || charge.orderStatus !== OrderStatus.PENDING_PAYMENT) {
      await db.transaction(em, (uow) => giveUpPeriod(uow, stores, charge, charge.attemptCount, now));
      return 'uncollectible';
    }
    if (charge.paymentLinkId) {
      // The card needed its holder, who was sent a payment link for this very order. Charging the card again could
      // take the money twice (the link's session can be paid at any moment), so the retries only wait for the link;
      // the last gives the period up and cancels the order, and a late link payment is then given back as for any
      // cancelled order.
      return this.declined(em, charge, attempt, 'awaiting_payment_link', now);
    }
    const outcome = await this.ask(charge, attempt);
    switch (outcome.kind) {
      case 'succeeded':
        try {
          await db.transaction(em, (uow) =>
            settlePaidRenewal(uow, stores, {
              ...this.paid(charge, attempt, now),
              payment: { captured: charge.amountDue, providerReference: outcome.paymentIntentId },
            }),
          );
        } catch (error) {
          if (!(error instanceof FailureSignal) || !isSubscriptionEnded(error.failure)) throw error;
          return this.giveBack(em, charge, attempt, outcome.paymentIntentId, now);
        }
        return 'succeeded';
      case 'declined':
        return this.declined(em, charge, attempt, outcome.declineCode ?? outcome.code, now);
      case 'requires_action': {
        // The stuck PaymentIntent is cancelled first, so it and the payment link can never both take the money.
        await this.deps.payments!.abandonCardPayment(outcome.paymentIntentId, providerKeys.abandonedCard(charge.orderId));
        const retryAt = this.retryAt(charge, attempt);
        await db.transaction(em, (uow) => offerPaymentLink(uow, charge, attempt, retryAt, this.deps.config.publicUrl, now));
        return 'requires_action';
      }
      case 'unknown':
        logger.warn('subscription.renewal_outcome_unknown', { subscriptionId: charge.subscriptionId, periodId: charge.periodId, reason: outcome.reason });
        return 'unknown';
    }
  }

  private async declined(em: EntityManager, charge: DueCharge, attempt: number, code: string, now: Date): Promise<ChargeResult> {
    const retryAt = this.retryAt(charge, attempt);
    if (retryAt) {
      await this.deps.db.transaction(em, (uow) => recordDecline(uow, charge, attempt, retryAt, code));
      return 'declined';
    }
    await this.deps.db.transaction(em, (uow) => giveUpPeriod(uow, this.deps.stores, charge, attempt, now));
    return 'uncollectible';
  }

  /**
   * The charge went through while the subscription was being cancelled now:
   * the period is given up (VOID, its order CANCELLED, credit back) and the
   * charge refunded through settlement's path for money on a cancelled order,
   * under that order's refund key, so a second run refunds nothing more.
   */
  private async giveBack(em: EntityManager, charge: DueCharge, attempt: number, paymentIntentId: string, now: Date): Promise<ChargeResult> {
    const { db, stores } = this.deps;
    await db.transaction(em, (uow) => giveUpPeriod(uow, stores, { ...charge, subscriptionStatus: SubscriptionStatus.CANCELED }, attempt, now));
    const charged = {
      providerReference: paymentIntentId,
      paymentIntentId,
      status: 'CAPTURED' as const,
      amount: charge.amountDue,
      currency: charge.currency,
      expiresAt: null,
      clientSecret: null,
      savedPaymentMethodId: null,
    };
    try {
      await settleOrderPayment({ em, db, stores, clock: { now: () => now }, payments: this.deps.payments! }, charge.orderId, charged);
    } catch (error) {
      // The charge's own webhook found the order cancelled too and recorded the same refund (same key at Stripe) first.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    return 'given_back';
  }

  /** Retries count billing days from the period's first attempt, made when the period was written. */
  private retryAt(charge: DueCharge, attempt: number): Date | null {
    const { renewalRetryDays, daySeconds } = this.deps.config.billing;
    return renewalRetryAt(charge.createdAt, attempt, renewalRetryDays, daySeconds);
  }

  private ask(charge: DueCharge, attempt: number): Promise<OffSessionChargeOutcome> {
    if (!charge.stripeCustomerId || !charge.savedPaymentMethodId) {
      return Promise.resolve({ kind: 'declined', code: 'no_saved_card', declineCode: null, paymentIntentId: null });
    }
    return this.deps.payments!.chargeOffSession({
      customer: charge.stripeCustomerId,
      paymentMethod: charge.savedPaymentMethodId,
      amount: charge.amountDue,
      currency: charge.currency,
      idempotencyKey: providerKeys.renewalCharge(charge.subscriptionId, charge.periodStart, attempt),
      metadata: { order_id: charge.orderId, subscription_id: charge.subscriptionId, period_start: charge.periodStart.toISOString() },
    });
  }

  private paid(charge: DueCharge, attempt: number, now: Date) {
    return {
      subscriptionId: charge.subscriptionId,
      periodId: charge.periodId,
      periodStart: charge.periodStart,
      periodEnd: charge.periodEnd,
      attempt,
      order: {
        id: charge.orderId,
        customerId: charge.customerId,
        paymentKind: charge.paymentKind,
        creditApplied: charge.creditApplied,
        amountDue: charge.amountDue,
        paymentLinkId: charge.paymentLinkId,
      },
      payment: {},
      now,
    };
  }
}
