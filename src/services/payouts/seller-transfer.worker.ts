import type Stripe from 'stripe';
import type { EntityManager } from '../../db/orm';
import { Seller, SellerTransfer, TransferStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { stripeWrite } from '../payments/stripe/stripe-client';
import { stripeClientFrom } from '../payments/stripe/stripe-extensions';
import { transition } from '../state/transition';
import type { Worker } from '../workers/worker-runner';
import { catchUpReversals } from './reversal-queue';
import { claimDueTransfers, dueTransfersCheck, recordFailedCall, withOrderLocked, type TransferRetrySettings } from './transfer-claims';
import { ordersAwaitingPlanningCheck, planSellerTransfers } from './transfer-planner';

export const SELLER_TRANSFER_WORKER = 'seller-transfers';
export const PAYOUT_PLANNER_WORKER = 'payout-planner';

const PAYABLE: readonly TransferStatus[] = [TransferStatus.PENDING, TransferStatus.FAILED];

export interface PayoutSettings extends TransferRetrySettings {
  platformFeeBps: number;
}

/**
 * Marketplace payouts for card orders. Each round: plan transfers for newly
 * placed orders (outbox `order.placed`), claim the due ones, and call Stripe
 * `transfers.create` outside any transaction with Idempotency-Key = the
 * transfer id and transfer_group = the order id. Success stores the Stripe id
 * in the same transaction as PENDING → COMPLETED (and queues reversals for
 * refunds that came first); failures back off (base x 2^retry, capped) up to
 * TRANSFER_MAX_RETRIES, then PERMANENTLY_FAILED with an outbox event.
 */
export class SellerTransferWorker {
  constructor(private readonly stripe: Stripe, private readonly settings: PayoutSettings) {}

  /** Plans, then pays: one whole round (tests and tooling; the runner runs the two halves as separate workers). */
  async runOnce(em: EntityManager, now: Date): Promise<number> {
    await this.plan(em, now);
    return this.payDue(em, now);
  }

  /** Plans transfers for newly placed orders; returns how many orders it planned. */
  plan(em: EntityManager, now: Date): Promise<number> {
    return planSellerTransfers(em.fork(), this.settings.platformFeeBps, now);
  }

  /** Claims the due transfers and pays each; returns how many it claimed. */
  async payDue(em: EntityManager, now: Date): Promise<number> {
    const claimed = await claimDueTransfers(em, PAYABLE, now);
    for (const transfer of claimed) await this.pay(em, transfer, now);
    return claimed.length;
  }

  private async pay(em: EntityManager, transfer: SellerTransfer, now: Date): Promise<void> {
    const seller = await em.fork().findOneOrFail(Seller, { id: transfer.sellerId });
    try {
      const created = await stripeWrite('transfers.create', transfer.id, (options) =>
        this.stripe.transfers.create({
          amount: transfer.amount,
          currency: transfer.currency.toLowerCase(),
          destination: seller.stripeAccountId,
          transfer_group: transfer.orderId,
          metadata: { order_id: transfer.orderId, transfer_id: transfer.id, seller_id: seller.id },
        }, options));
      await withOrderLocked(em, transfer.orderId, async (tx) => {
        const moved = await transition(tx, SellerTransfer, transfer.id, TransferStatus.PENDING, TransferStatus.COMPLETED, {
          stripeTransferId: created.id, nextRetryAt: null, lastError: null,
        });
        if (moved === 1) await catchUpReversals(tx, transfer.orderId, now);
      });
    } catch (error) {
      await recordFailedCall(em, { transfer, from: TransferStatus.PENDING, now, giveUpEvent: 'seller_transfer.failed' }, error, this.settings);
    }
  }
}

/**
 * The payout workers, only when Stripe is configured: planning (set-based,
 * woken by placed orders not yet planned) and paying (woken by due
 * transfers). Separate, so that an order owing nobody costs no transfer claim.
 */
export function sellerTransferWorkers(deps: AppDeps): Worker[] {
  const stripe = stripeClientFrom(deps.extensions);
  if (!stripe) return [];
  const { config } = deps;
  const worker = new SellerTransferWorker(stripe, {
    platformFeeBps: config.platformFeeBps,
    maxRetries: config.transferMaxRetries,
    backoffBaseMs: config.reversalBackoffBaseMs,
    backoffMaxMs: config.reversalBackoffMaxMs,
  });
  return [
    { name: PAYOUT_PLANNER_WORKER, intervalMs: config.workerPollIntervalMs, due: ordersAwaitingPlanningCheck, runOnce: (em, now) => worker.plan(em, now) },
    { name: SELLER_TRANSFER_WORKER, intervalMs: config.workerPollIntervalMs, due: (em, now) => dueTransfersCheck(em, PAYABLE, now), runOnce: (em, now) => worker.payDue(em, now) },
  ];
}
