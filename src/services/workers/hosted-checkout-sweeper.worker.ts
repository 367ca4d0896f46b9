import type { EntityManager } from '../../db/orm';
import { Order, OrderStatus, Payment, PaymentMethodKind, PaymentStatus } from '../../entities';
import type { AppDeps } from '../../schema/context';
import { stripeGatewayFrom } from '../payments/stripe/stripe-extensions';
import type { StripeGateway } from '../payments/stripe/stripe-gateway';
import { settleOrderPayment } from '../payments/webhooks/settle-order-payment';
import { logger } from '../shared/logger';
import type { Worker } from './worker-runner';

const BATCH = 20;

/** Hosted orders still PENDING_PAYMENT whose session should have lapsed by `now`. */
async function lapsedHostedPayments(em: EntityManager, now: Date, sessionTtlMs: number): Promise<Payment[]> {
  const candidates = await em.fork().find(
    Payment,
    { kind: PaymentMethodKind.HOSTED_CHECKOUT, status: PaymentStatus.PENDING, providerReference: { $ne: null }, $or: [{ expiresAt: { $lt: now } }, { expiresAt: null }] },
    { orderBy: { createdAt: 'asc' }, limit: BATCH * 5 },
  );
  const pending = new Set(
    (await em.fork().find(Order, { id: { $in: candidates.map((p) => p.orderId) }, status: OrderStatus.PENDING_PAYMENT }, { fields: ['id'] })).map((o) => o.id),
  );
  // A session without a stored expiry lapses at the longest TTL checkout could have asked for.
  const lapsed = (payment: Payment) => (payment.expiresAt ?? new Date(payment.createdAt.getTime() + sessionTtlMs)) < now;
  return candidates.filter((payment) => pending.has(payment.orderId) && lapsed(payment)).slice(0, BATCH);
}

/**
 * Ends hosted checkouts whose session expired even when Stripe's
 * `checkout.session.expired` webhook never arrived: the session is asked for
 * (and expired at Stripe if it is somehow still open), then the order is
 * settled on that answer — cancelled with voucher, stock and credit given
 * back, or placed if the buyer paid at the last moment.
 */
export async function sweepLapsedHostedCheckouts(em: EntityManager, gateway: StripeGateway, deps: Pick<AppDeps, 'clock' | 'config'>, now: Date): Promise<number> {
  const payments = await lapsedHostedPayments(em, now, deps.config.checkoutSessionTtlMs);
  let settled = 0;
  for (const payment of payments) {
    const sessionId = payment.providerReference!;
    try {
      const truth = await gateway.expireHostedCheckout(sessionId, `expire:${sessionId}`);
      const result = await settleOrderPayment({ em, clock: deps.clock, gateway }, payment.orderId, truth);
      logger.info('hosted_checkout.swept', { orderId: payment.orderId, sessionId, result: result.kind });
      if (result.kind !== 'no-change') settled++;
    } catch (error) {
      logger.error('hosted_checkout.sweep_failed', { orderId: payment.orderId, sessionId, error });
    }
  }
  return settled;
}

/** The sweeper, or null when Stripe is not configured (no hosted session can exist). */
export function createHostedCheckoutSweeper(deps: Pick<AppDeps, 'clock' | 'config' | 'extensions'>): Worker | null {
  const gateway = stripeGatewayFrom(deps.extensions);
  if (!gateway) return null;
  return {
    name: 'hosted-checkout-sweeper',
    intervalMs: Math.max(deps.config.workerPollIntervalMs, 5_000),
    runOnce: (em, now) => sweepLapsedHostedCheckouts(em, gateway, deps, now),
  };
}
