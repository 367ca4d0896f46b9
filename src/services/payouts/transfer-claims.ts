import { writeLock, type EntityManager } from '../../db/orm';
import { Order, SellerTransfer, TransferStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { recordEvent } from '../outbox/outbox';
import type { ProviderPayoutAnswer } from '../payments/payment-port';
import { transition } from '../state/transition';
import { exponentialDelayMs, type BackoffPolicy } from '../shared/backoff';
import { updateTransferFields } from './transfer-fields';

/** How long a claimed transfer is hidden from other workers; a worker that dies frees it after this. */
export const CLAIM_LEASE_MS = 5 * 60_000;
const CLAIM_BATCH = 20;

/** What claiming transfers needs: the payout store, and units of work on the database. */
export type PayoutDeps = Pick<AppDeps, 'db' | 'stores'>;

/**
 * Claims due transfers in one statement (PayoutStore.claimDue: SKIP LOCKED on
 * PostgreSQL, and a lease so a row is not picked again while its Stripe call
 * is in flight). A FAILED transfer due for retry then moves back to PENDING through the
 * transition table, one guarded statement for all of them, still under its
 * lease; one that somehow left FAILED meanwhile is not returned. The entities
 * carry the status they were claimed in.
 */
export async function claimDueTransfers(deps: PayoutDeps, em: EntityManager, statuses: readonly TransferStatus[], now: Date): Promise<SellerTransfer[]> {
  const claimed = await deps.stores.payouts.claimDue(deps.db.unitOfWork(em), statuses, now, new Date(now.getTime() + CLAIM_LEASE_MS), CLAIM_BATCH);
  const failed = claimed.filter((transfer) => transfer.status === TransferStatus.FAILED).map((transfer) => transfer.id);
  if (failed.length === 0) return claimed;
  const moved = await transition(em, SellerTransfer, failed, TransferStatus.FAILED, TransferStatus.PENDING);
  if (moved === failed.length) return claimed;
  const retrying = new Set(
    (await em.fork().find(SellerTransfer, { id: { $in: failed }, status: TransferStatus.PENDING }, { fields: ['id'] })).map((t) => t.id),
  );
  return claimed.filter((transfer) => transfer.status !== TransferStatus.FAILED || retrying.has(transfer.id));
}

/** Runs `work` in one transaction with the transfer's order row locked (refund settlements lock it too). */
export function withOrderLocked<T>(em: EntityManager, orderId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await tx.findOne(Order, { id: orderId }, { ...writeLock(tx), fields: ['id'] });
    return work(tx);
  });
}

export interface FailedAttempt {
  transfer: SellerTransfer;
  /** The status the transfer is in while its call failed. */
  from: TransferStatus.PENDING | TransferStatus.REVERSAL_PENDING;
  error: string;
  maxRetries: number;
  backoff: BackoffPolicy;
  /** Outbox event type for operators when the transfer gives up. */
  giveUpEvent: string;
  now: Date;
}

/** Gives up for good: PERMANENTLY_FAILED plus an outbox event for operators, in one transaction. */
export async function failPermanently(tx: EntityManager, attempt: Omit<FailedAttempt, 'maxRetries' | 'backoff'>): Promise<number> {
  const { transfer, from, error, now } = attempt;
  const moved = await transition(tx, SellerTransfer, transfer.id, from, TransferStatus.PERMANENTLY_FAILED, {
    lastError: error.slice(0, 2_000),
    nextRetryAt: null,
  });
  if (moved === 1) {
    recordEvent(tx, {
      type: attempt.giveUpEvent,
      aggregateId: transfer.orderId,
      payload: { orderId: transfer.orderId, transferId: transfer.id, sellerId: transfer.sellerId, amount: transfer.amount, error, at: now.toISOString() },
    });
  }
  return moved;
}

/**
 * A transient failure: one more retry with capped exponential backoff, or,
 * past the retry budget, PERMANENTLY_FAILED. Transfers not yet made go
 * PENDING → FAILED (due again at nextRetryAt); reversals stay REVERSAL_PENDING.
 */
export async function recordFailedAttempt(em: EntityManager, attempt: FailedAttempt): Promise<void> {
  const failures = attempt.transfer.retryCount + 1;
  await withOrderLocked(em, attempt.transfer.orderId, async (tx) => {
    if (failures > attempt.maxRetries) {
      await failPermanently(tx, attempt);
      return;
    }
    const fields = {
      retryCount: failures,
      nextRetryAt: new Date(attempt.now.getTime() + exponentialDelayMs(failures, attempt.backoff)),
      lastError: attempt.error.slice(0, 2_000),
    };
    if (attempt.from === TransferStatus.PENDING)
      await transition(tx, SellerTransfer, attempt.transfer.id, TransferStatus.PENDING, TransferStatus.FAILED, fields);
    else await updateTransferFields(tx, attempt.transfer.id, TransferStatus.REVERSAL_PENDING, fields);
  });
}

/** Retry budget of a transfer's Stripe calls (creation or reversal). */
export interface TransferRetrySettings {
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * After a transfer's provider call failed: a refusal gives up for good
 * (PERMANENTLY_FAILED + operator event); anything else is one more backed-off
 * retry, or gives up once the budget is spent.
 */
export async function recordFailedCall(
  em: EntityManager,
  call: Pick<FailedAttempt, 'transfer' | 'from' | 'giveUpEvent' | 'now'>,
  failure: Extract<ProviderPayoutAnswer, { kind: 'refused' | 'retry' }>,
  settings: TransferRetrySettings,
): Promise<void> {
  const attempt: FailedAttempt = {
    ...call,
    error: failure.reason,
    maxRetries: settings.maxRetries,
    backoff: { baseMs: settings.backoffBaseMs, capMs: settings.backoffMaxMs },
  };
  if (failure.kind === 'refused') await withOrderLocked(em, call.transfer.orderId, (tx) => failPermanently(tx, attempt));
  else await recordFailedAttempt(em, attempt);
}
