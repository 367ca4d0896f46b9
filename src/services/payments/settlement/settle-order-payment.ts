import type { Database } from '../../../db/database';
import type { EntityManager } from '../../../db/orm';
import type { Stores } from '../../../db/stores';
import { OrderStatus, PaymentStatus } from '../../../entities';
import type { Clock } from '../../shared/clock';
import { logger } from '../../shared/logger';
import { ErrorCode } from '../../shared/error-code';
import { FailureSignal, type Failure } from '../../shared/outcome';
import { recordAutomaticRefund } from '../../refunds/automatic-refund';
import { providerKeys } from '../idempotency-keys';
import type { PaymentPort, ProviderPayment, ProviderRefundAnswer } from '../payment-port';
import { awaitsProvider, cancelUnpaidOrder, lockPendingOrder, placePaidOrder } from './pending-payment-settlement';
import { isRenewalLinkOrder, endRenewalSession } from '../../payment-links/renewal-link-session';
import { isSubscriptionEnded } from '../../subscriptions/renewal-period';

const AUTO_REFUNDED = 'payment.auto_refunded';

export type SettlementResult =
  | { kind: 'placed' }
  | { kind: 'cancelled' }
  /** A charge arrived for an order that was already cancelled: it was given back. */
  | { kind: 'refunded-charge-on-cancelled-order'; refundId: string }
  /** Paid, but the order could not be placed (its stock was gone, or only authorized for digital goods): cancelled, the money given back. */
  | { kind: 'refunded-unplaceable-order'; refundId: string }
  | { kind: 'no-change' }
  /** A renewal order's session ended unpaid: that session's payment row ended, the order waits for another (renewal-link-session.ts). */
  | { kind: 'session-ended' }
  /** The checkout saga still drives this order; nothing was written. */
  | { kind: 'checkout-owns-order' }
  | { kind: 'already-recorded' }
  | { kind: 'no-order' };

export interface SettlementDeps {
  em: EntityManager;
  db: Database;
  stores: Stores;
  clock: Clock;
  payments: Pick<PaymentPort, 'cancelPayment' | 'refundUnwantedCharge'>;
}

/** Rolls a settlement transaction back so that a Stripe call can happen outside it. */
class SettlementInterrupt extends Error {
  override name = 'SettlementInterrupt';
  constructor(
    readonly reason: 'checkout-owns-order' | 'refund-charge' | 'unplaceable',
    /** Why placing failed (unplaceable only): its stock was gone, its digital goods need a captured payment, or its subscription ended. */
    readonly placement?: Failure,
  ) {
    super(reason);
  }
}

const STOCK_GONE = 'paid after its reserved stock was gone';
const SUBSCRIPTION_ENDED = 'renewal paid after its subscription ended';
const NOT_CAPTURED = 'digital goods with a payment authorized but not captured';

/** Why a paid order could not be placed, as stored on it, and the log line that reports its money going back. */
function whyNotPlaced(failure: Failure | undefined): { reason: string; logEvent: string } {
  // placeOrder refuses digital units without captured money with VALIDATION_FAILED (grantsNeedMoney); the rest is stock.
  if (failure?.code === ErrorCode.VALIDATION_FAILED) return { reason: NOT_CAPTURED, logEvent: 'payment.uncaptured_digital_order' };
  // renewal-period.ts refuses a renewal of a subscription that ended while its link was out.
  if (isSubscriptionEnded(failure)) return { reason: SUBSCRIPTION_ENDED, logEvent: 'payment.renewal_after_subscription_ended' };
  return { reason: STOCK_GONE, logEvent: 'payment.paid_order_out_of_stock' };
}

/** Why an unpaid order ended, as stored on it. */
function unpaidReason(truth: ProviderPayment | null): string {
  if (truth?.status === 'FAILED') return 'payment failed';
  if (truth?.providerReference.startsWith('pi_')) return 'card payment not completed in time';
  return 'payment session expired';
}

const isPaid = (truth: ProviderPayment | null) => truth !== null && (truth.status === 'CAPTURED' || truth.status === 'AUTHORIZED');
const isDead = (truth: ProviderPayment | null) => truth === null || truth.status === 'FAILED' || truth.status === 'CANCELLED';

/**
 * Brings a PENDING_PAYMENT order in line with what the provider says now
 * (`truth`): paid → placed, failed/expired/absent → cancelled with everything
 * given back, still open → nothing. A charge that can never be kept (order
 * already cancelled, or its stock gone) is refunded, outside any transaction,
 * with a stable key, and logged loudly. `alsoInTransaction` runs first in the
 * committing transaction (the webhook records its event id there); when it
 * throws a unique violation the event was already applied.
 */
export async function settleOrderPayment(
  deps: SettlementDeps,
  orderId: string,
  truth: ProviderPayment | null,
  alsoInTransaction?: (tx: EntityManager) => Promise<unknown>,
): Promise<SettlementResult> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(deps.em, async (uow) => {
      const tx = uow.em;
      await alsoInTransaction?.(tx);
      const found = await lockPendingOrder(uow, deps.stores.orders, orderId);
      if (!found) return { kind: 'no-order' } as const;
      const { order, payment } = found;
      if (order.status === OrderStatus.CANCELLED && isPaid(truth)) throw new SettlementInterrupt('refund-charge');
      if (order.status !== OrderStatus.PENDING_PAYMENT) return { kind: 'no-change' } as const;
      if (!payment || !awaitsProvider(payment)) throw new SettlementInterrupt('checkout-owns-order');
      if (isPaid(truth)) {
        try {
          await placePaidOrder(
            uow,
            deps.stores,
            order,
            {
              status: truth!.status as 'CAPTURED' | 'AUTHORIZED',
              amount: truth!.amount,
              paymentIntentId: truth!.paymentIntentId,
              savedPaymentMethodId: truth!.savedPaymentMethodId,
            },
            now,
          );
        } catch (error) {
          if (error instanceof FailureSignal) throw new SettlementInterrupt('unplaceable', error.failure);
          throw error;
        }
        return { kind: 'placed' } as const;
      }
      if (isDead(truth) && isRenewalLinkOrder(order)) {
        // Only the renewal worker ends a renewal order (its retries, then giving the period up); a dead session ends
        // itself, and only itself: the answer may be about a session a click has replaced since it was asked.
        if (truth && truth.providerReference !== payment.providerReference) return { kind: 'no-change' } as const;
        await endRenewalSession(tx, payment.id, truth?.status === 'FAILED' ? PaymentStatus.FAILED : PaymentStatus.CANCELLED);
        return { kind: 'session-ended' } as const;
      }
      if (isDead(truth)) {
        await cancelUnpaidOrder(uow, deps.stores, order, truth?.status === 'FAILED' ? 'FAILED' : 'CANCELLED', unpaidReason(truth), now);
        return { kind: 'cancelled' } as const;
      }
      return { kind: 'no-change' } as const;
    });
  } catch (error) {
    if (!(error instanceof SettlementInterrupt)) throw error;
    if (error.reason === 'checkout-owns-order') return { kind: 'checkout-owns-order' };
    const notPlaced = error.reason === 'unplaceable' ? whyNotPlaced(error.placement) : null;
    if (notPlaced) {
      await deps.db.transaction(deps.em, async (uow) => {
        const found = await lockPendingOrder(uow, deps.stores.orders, orderId);
        if (found) await cancelUnpaidOrder(uow, deps.stores, found.order, 'CANCELLED', notPlaced.reason, now);
      });
    }
    const givenBack = await giveBackCharge(deps, orderId, truth!, notPlaced?.logEvent ?? 'payment.charge_on_cancelled_order');
    const refundId = givenBack.refundId;
    await deps.em.fork().transactional(async (raw) => {
      const tx = raw as EntityManager;
      await alsoInTransaction?.(tx);
      if (givenBack.answer) {
        const reason = notPlaced?.reason ?? 'charge on cancelled order';
        await recordAutomaticRefund(
          tx,
          { orderId, amount: truth!.amount, idempotencyKey: providerKeys.autoRefund(orderId), reason, answer: givenBack.answer },
          now,
        );
      }
      // Every Stripe event about the charge lands here; operators hear of it once per order.
      await deps.stores.outbox.appendOnce(deps.db.unitOfWork(tx), {
        type: AUTO_REFUNDED,
        aggregateId: orderId,
        payload: { orderId, refundId, paymentIntentId: truth!.paymentIntentId },
      });
    });
    return notPlaced ? { kind: 'refunded-unplaceable-order', refundId } : { kind: 'refunded-charge-on-cancelled-order', refundId };
  }
}

interface GivenBack {
  /** Stripe's refund id, or what happened instead (nothing charged, authorization cancelled, already refunded). */
  refundId: string;
  /** Stripe's answer when a refund was asked for. */
  answer: ProviderRefundAnswer | null;
}

async function giveBackCharge(deps: SettlementDeps, orderId: string, truth: ProviderPayment, logEvent: string): Promise<GivenBack> {
  logger.error(logEvent, {
    orderId,
    providerReference: truth.providerReference,
    paymentIntentId: truth.paymentIntentId,
    amount: truth.amount,
    currency: truth.currency,
  });
  if (!truth.paymentIntentId) return { refundId: 'nothing-to-refund', answer: null };
  if (truth.status === 'AUTHORIZED') {
    await deps.payments.cancelPayment(truth.paymentIntentId, providerKeys.autoCancel(orderId));
    return { refundId: 'authorization-cancelled', answer: null };
  }
  const answer = await deps.payments.refundUnwantedCharge(orderId, truth.paymentIntentId);
  const refundId = answer.kind === 'unknown' ? 'refund-outcome-unknown' : (answer.providerRefundId ?? 'already-refunded');
  return { refundId, answer };
}
