import type { EntityManager } from '../../db/orm';
import { PaymentMethodKind, PaymentStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import type { PaymentPort } from '../payments/payment-port';
import { providerKeys } from '../payments/idempotency-keys';
import { stalePaymentWorker, sweepStalePayments, type StalePaymentSweep } from './stale-payment-sweeper';
import type { Worker } from './worker-runner';

/**
 * Ends hosted checkouts whose session expired even when Stripe's
 * `checkout.session.expired` webhook never arrived: the session is asked for
 * (and expired at Stripe if it is somehow still open), then the order is
 * settled on that answer. A session without a stored expiry lapses at the
 * longest TTL checkout could have asked for.
 */
export const HOSTED_CHECKOUT_SWEEP: StalePaymentSweep = {
  name: 'hosted-checkout-sweeper',
  kind: PaymentMethodKind.HOSTED_CHECKOUT,
  status: PaymentStatus.PENDING,
  windowMs: (config) => config.checkoutSessionTtlMs,
  endAtProvider: (payments, payment) => payments.expireHostedCheckout(payment.providerReference!, providerKeys.expireSession(payment.providerReference!)),
};

export function sweepLapsedHostedCheckouts(
  em: EntityManager,
  payments: PaymentPort,
  deps: Pick<AppDeps, 'clock' | 'config' | 'db' | 'stores'>,
  now: Date,
): Promise<number> {
  return sweepStalePayments(em, payments, deps, now, HOSTED_CHECKOUT_SWEEP);
}

export function createHostedCheckoutSweeper(deps: Pick<AppDeps, 'clock' | 'config' | 'db' | 'stores' | 'payments'>): Worker | null {
  return stalePaymentWorker(deps, HOSTED_CHECKOUT_SWEEP);
}
