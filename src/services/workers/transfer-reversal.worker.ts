import type { EntityManager } from '../../db/orm';
import { SellerTransfer, TransferStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import type { PaymentPort } from '../payments/payment-port';
import { catchUpReversals } from '../payouts/reversal-queue';
import { claimDueTransfers, failPermanently, recordFailedCall, withOrderLocked, type PayoutDeps, type TransferRetrySettings } from '../payouts/transfer-claims';
import { transition } from '../state/transition';
import type { Worker } from './worker-runner';

export const TRANSFER_REVERSAL_WORKER = 'transfer-reversals';

const REVERSIBLE: readonly TransferStatus[] = [TransferStatus.REVERSAL_PENDING];

/**
 * Takes back the refunded share of seller transfers, after the buyer's refund
 * (which never waits for it). For each due REVERSAL_PENDING transfer:
 * a reversal at the provider keyed by transfer id + refund id.
 * - success → REVERSED with stripeReversalId (or back to COMPLETED after a
 *   partial reversal, queuing whatever later refunds still owe);
 * - the provider says already reversed → REVERSED;
 * - transfer not found (or any other refusal) → PERMANENTLY_FAILED;
 * - transient → stays REVERSAL_PENDING, retryCount + 1, nextRetryAt backed off
 *   (REVERSAL_BACKOFF_BASE x 2^retry, capped at REVERSAL_BACKOFF_MAX); past
 *   REVERSAL_MAX_RETRIES → PERMANENTLY_FAILED with an outbox event for operators.
 */
export class TransferReversalWorker {
  constructor(
    private readonly deps: PayoutDeps,
    private readonly payments: PaymentPort,
    private readonly settings: TransferRetrySettings,
  ) {}

  async runOnce(em: EntityManager, now: Date): Promise<number> {
    const claimed = await claimDueTransfers(this.deps, em, REVERSIBLE, now);
    for (const transfer of claimed) await this.reverse(em, transfer, now);
    return claimed.length;
  }

  private async reverse(em: EntityManager, transfer: SellerTransfer, now: Date): Promise<void> {
    const giveUp = { transfer, from: TransferStatus.REVERSAL_PENDING as const, now, giveUpEvent: 'seller_transfer.reversal_failed' };
    if (!transfer.stripeTransferId) {
      await withOrderLocked(em, transfer.orderId, (tx) => failPermanently(tx, { ...giveUp, error: 'no Stripe transfer to reverse' }));
      return;
    }
    const answer = await this.payments.reverseTransfer({
      transferId: transfer.id,
      providerTransferId: transfer.stripeTransferId,
      orderId: transfer.orderId,
      refundId: transfer.pendingReversalRefundId,
      amount: transfer.pendingReversalAmount,
    });
    if (answer.kind !== 'done') await recordFailedCall(em, giveUp, answer, this.settings);
    else if (answer.alreadyReversed) await this.settle(em, transfer, transfer.amount, transfer.stripeReversalId, now);
    else await this.settle(em, transfer, transfer.reversedAmount + answer.amount, answer.providerId, now);
  }

  private settle(em: EntityManager, transfer: SellerTransfer, reversedAmount: number, stripeReversalId: string | null, now: Date): Promise<void> {
    const fully = reversedAmount >= transfer.amount;
    return withOrderLocked(em, transfer.orderId, async (tx) => {
      const moved = await transition(
        tx,
        SellerTransfer,
        transfer.id,
        TransferStatus.REVERSAL_PENDING,
        fully ? TransferStatus.REVERSED : TransferStatus.COMPLETED,
        {
          reversedAmount: Math.min(reversedAmount, transfer.amount),
          pendingReversalAmount: 0,
          pendingReversalRefundId: null,
          stripeReversalId,
          nextRetryAt: null,
          lastError: null,
        },
      );
      if (moved === 1 && !fully) await catchUpReversals(tx, transfer.orderId, now);
    });
  }
}

export function transferReversalWorker(deps: AppDeps): Worker | null {
  if (!deps.payments) return null;
  const { config } = deps;
  const worker = new TransferReversalWorker(deps, deps.payments, {
    maxRetries: config.reversalMaxRetries,
    backoffBaseMs: config.reversalBackoffBaseMs,
    backoffMaxMs: config.reversalBackoffMaxMs,
  });
  return {
    name: TRANSFER_REVERSAL_WORKER,
    intervalMs: config.reversalCheckIntervalMs,
    due: (now) => deps.stores.payouts.transfersDue(REVERSIBLE, now),
    runOnce: (em, now) => worker.runOnce(em, now),
  };
}
