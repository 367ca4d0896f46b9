import type { EntityManager } from '../../db/orm';
import { Seller, SellerTransfer, TransferStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import type { PaymentPort } from '../payments/payment-port';
import { catchUpReversals } from '../payouts/reversal-queue';
import { claimDueTransfers, recordFailedCall, withOrderLocked, type PayoutDeps, type TransferRetrySettings } from '../payouts/transfer-claims';
import { planSellerTransfers } from '../payouts/transfer-planner';
import { transition } from '../state/transition';
import type { Worker } from './worker-runner';

export const SELLER_TRANSFER_WORKER = 'seller-transfers';
export const PAYOUT_PLANNER_WORKER = 'payout-planner';

const PAYABLE: readonly TransferStatus[] = [TransferStatus.PENDING, TransferStatus.FAILED];

export interface PayoutSettings extends TransferRetrySettings {
  platformFeeBps: number;
}

/**
 * Marketplace payouts for card orders. Each round: plan transfers for newly
 * placed orders (outbox `order.placed`), claim the due ones, and ask the
 * provider for each transfer outside any transaction, keyed by the transfer
 * id and grouped by the order id. Success stores the provider's id
 * in the same transaction as PENDING → COMPLETED (and queues reversals for
 * refunds that came first); failures back off (base x 2^retry, capped) up to
 * TRANSFER_MAX_RETRIES, then PERMANENTLY_FAILED with an outbox event.
 */
export class SellerTransferWorker {
  constructor(
    private readonly deps: PayoutDeps,
    private readonly payments: PaymentPort,
    private readonly settings: PayoutSettings,
  ) {}

  /** Plans, then pays: one whole round (tests and tooling; the runner runs the two halves as separate workers). */
  async runOnce(em: EntityManager, now: Date): Promise<number> {
    await this.plan(em, now);
    return this.payDue(em, now);
  }

  /** Plans transfers for newly placed orders; returns how many orders it planned. */
  plan(em: EntityManager, now: Date): Promise<number> {
    return planSellerTransfers(this.deps, em.fork(), this.settings.platformFeeBps, now);
  }

  /** Claims the due transfers and pays each; returns how many it claimed. */
  async payDue(em: EntityManager, now: Date): Promise<number> {
    const claimed = await claimDueTransfers(this.deps, em, PAYABLE, now);
    for (const transfer of claimed) await this.pay(em, transfer, now);
    return claimed.length;
  }

  private async pay(em: EntityManager, transfer: SellerTransfer, now: Date): Promise<void> {
    const seller = await em.fork().findOneOrFail(Seller, { id: transfer.sellerId });
    const answer = await this.payments.transfer({
      transferId: transfer.id,
      orderId: transfer.orderId,
      sellerId: seller.id,
      destinationAccount: seller.stripeAccountId,
      amount: transfer.amount,
      currency: transfer.currency,
    });
    if (answer.kind !== 'done') {
      await recordFailedCall(em, { transfer, from: TransferStatus.PENDING, now, giveUpEvent: 'seller_transfer.failed' }, answer, this.settings);
      return;
    }
    await withOrderLocked(em, transfer.orderId, async (tx) => {
      const moved = await transition(tx, SellerTransfer, transfer.id, TransferStatus.PENDING, TransferStatus.COMPLETED, {
        stripeTransferId: answer.providerId,
        nextRetryAt: null,
        lastError: null,
      });
      if (moved === 1) await catchUpReversals(tx, transfer.orderId, now);
    });
  }
}

/**
 * The payout workers, only when a payment provider is configured: planning (set-based,
 * woken by placed orders not yet planned) and paying (woken by due
 * transfers). Separate, so that an order owing nobody costs no transfer claim.
 */
export function sellerTransferWorkers(deps: AppDeps): Worker[] {
  if (!deps.payments) return [];
  const { config } = deps;
  const { payouts } = deps.stores;
  const worker = new SellerTransferWorker(deps, deps.payments, {
    platformFeeBps: config.platformFeeBps,
    maxRetries: config.transferMaxRetries,
    backoffBaseMs: config.payoutBackoffBaseMs,
    backoffMaxMs: config.payoutBackoffMaxMs,
  });
  return [
    { name: PAYOUT_PLANNER_WORKER, intervalMs: config.workerPollIntervalMs, due: () => payouts.planningDue(), runOnce: (em, now) => worker.plan(em, now) },
    {
      name: SELLER_TRANSFER_WORKER,
      intervalMs: config.workerPollIntervalMs,
      due: (now) => payouts.transfersDue(PAYABLE, now),
      runOnce: (em, now) => worker.payDue(em, now),
    },
  ];
}
