import type { EntityManager } from '../../db/orm';
import { PaymentMethodKind, PaymentStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import type { PaymentPort } from '../payments/payment-port';
import { providerKeys } from '../payments/idempotency-keys';
import { stalePaymentWorker, sweepStalePayments, type StalePaymentSweep } from './stale-payment-sweeper';
import type { Worker } from './worker-runner';

/**
 * Ends card payments left waiting for 3-D Secure past CARD_ACTION_TIMEOUT.
 * Stripe sends no event for an abandoned `requires_action` PaymentIntent, so
 * without this the order would stay PENDING_PAYMENT forever with its voucher
 * HELD and its cart CHECKING_OUT. The intent is asked for: paid meanwhile →
 * the order is placed; otherwise it is cancelled at Stripe and the order
 * cancelled with everything given back. The window is stored on the payment
 * (checkout holds the reservations exactly as long).
 */
export const CARD_ACTION_SWEEP: StalePaymentSweep = {
  name: 'card-payment-sweeper',
  kind: PaymentMethodKind.CARD,
  status: PaymentStatus.REQUIRES_ACTION,
  windowMs: (config) => config.cardActionTimeoutMs,
  endAtProvider: (payments, payment) => payments.abandonCardPayment(payment.providerReference!, providerKeys.abandonedCard(payment.orderId)),
};

export function sweepStaleCardPayments(
  em: EntityManager,
  payments: PaymentPort,
  deps: Pick<AppDeps, 'clock' | 'config' | 'db' | 'stores'>,
  now: Date,
): Promise<number> {
  return sweepStalePayments(em, payments, deps, now, CARD_ACTION_SWEEP);
}

export function createCardPaymentSweeper(deps: Pick<AppDeps, 'clock' | 'config' | 'db' | 'stores' | 'payments'>): Worker | null {
  return stalePaymentWorker(deps, CARD_ACTION_SWEEP);
}
