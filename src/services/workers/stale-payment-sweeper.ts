import type { Config } from '../../config';
import type { EntityManager } from '../../db/orm';
import { Order, OrderStatus, Payment, type PaymentMethodKind, type PaymentStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import type { ProviderPayment } from '../payments/payment-port';
import type { PaymentPort } from '../payments/payment-port';
import { settleOrderPayment } from '../payments/settlement/settle-order-payment';
import { logger } from '../shared/logger';
import type { Worker } from './worker-runner';

const BATCH = 20;

/**
 * One kind of payment handed to the buyer that can outlive its window without
 * Stripe ever telling us : an open hosted
 * session, a card awaiting 3-D Secure. The sweep is the same for all of them;
 * only which rows, how long they may wait and how they end at Stripe differ.
 */
export interface StalePaymentSweep {
  /** Worker name; also the prefix of its log lines. */
  name: string;
  kind: PaymentMethodKind;
  status: PaymentStatus;
  /** How long a payment may wait when its row stores no expiry of its own. */
  windowMs(config: Config): number;
  /** Ends the payment at Stripe if it is still open (stable key) and answers what Stripe holds afterwards. */
  endAtProvider(payments: PaymentPort, payment: Payment): Promise<ProviderPayment>;
}

type SweepDeps = Pick<AppDeps, 'clock' | 'config' | 'db' | 'stores'>;

/** Payments of the sweep's kind and status, for orders still PENDING_PAYMENT, whose window ended before `now`. */
async function lapsedPayments(em: EntityManager, sweep: StalePaymentSweep, now: Date, windowMs: number): Promise<Payment[]> {
  const candidates = await em
    .fork()
    .find(
      Payment,
      { kind: sweep.kind, status: sweep.status, providerReference: { $ne: null }, $or: [{ expiresAt: { $lt: now } }, { expiresAt: null }] },
      { orderBy: { createdAt: 'asc' }, limit: BATCH * 5 },
    );
  const pending = new Set(
    (await em.fork().find(Order, { id: { $in: candidates.map((p) => p.orderId) }, status: OrderStatus.PENDING_PAYMENT }, { fields: ['id'] })).map((o) => o.id),
  );
  const lapsed = (payment: Payment) => (payment.expiresAt ?? new Date(payment.createdAt.getTime() + windowMs)) < now;
  return candidates.filter((payment) => pending.has(payment.orderId) && lapsed(payment)).slice(0, BATCH);
}

/**
 * One round: every lapsed payment is ended at the provider, then its order settled on
 * the provider's answer — cancelled with voucher, stock and credit given back, or
 * placed if the buyer paid at the last moment. A failure is logged and the
 * payment is tried again next round. Returns how many orders it ended.
 */
export async function sweepStalePayments(em: EntityManager, payments: PaymentPort, deps: SweepDeps, now: Date, sweep: StalePaymentSweep): Promise<number> {
  const lapsed = await lapsedPayments(em, sweep, now, sweep.windowMs(deps.config));
  let settled = 0;
  for (const payment of lapsed) {
    const context = { orderId: payment.orderId, providerReference: payment.providerReference };
    try {
      const truth = await sweep.endAtProvider(payments, payment);
      const result = await settleOrderPayment({ em, db: deps.db, stores: deps.stores, clock: deps.clock, payments }, payment.orderId, truth);
      logger.info(`${sweep.name}.swept`, { ...context, result: result.kind });
      if (result.kind !== 'no-change') settled++;
    } catch (error) {
      logger.error(`${sweep.name}.sweep_failed`, { ...context, error });
    }
  }
  return settled;
}

/** The sweep as a polled worker, or null when no payment provider is configured (no such payment can exist). */
export function stalePaymentWorker(deps: SweepDeps & Pick<AppDeps, 'payments'>, sweep: StalePaymentSweep): Worker | null {
  const { payments } = deps;
  if (!payments) return null;
  return {
    name: sweep.name,
    intervalMs: Math.max(deps.config.workerPollIntervalMs, 5_000),
    // Whether lapsedPayments would find one: the same filter, the order's status and the window in one exists().
    due: (now) => deps.stores.work.lapsedPaymentsDue(sweep.kind, sweep.status, now, new Date(now.getTime() - sweep.windowMs(deps.config))),
    runOnce: (em, now) => sweepStalePayments(em, payments, deps, now, sweep),
  };
}
