import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { SellerTransfer, TransferStatus } from '../../entities';
import { withOrderLocked } from '../payouts/transfer-claims';
import { updateTransferFields } from '../payouts/transfer-fields';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { logger } from '../shared/logger';
import { fail, success, userFailure, type Failure, type Outcome } from '../shared/outcome';
import { transition } from '../state/transition';
import { newestFirstPage, type AdminPageRequest } from './admin-page';

/** Shown by default: transfers that failed (for now or for good), and reversals that failed at least once. */
const NEEDS_ATTENTION: FilterQuery<SellerTransfer> = {
  $or: [{ status: { $in: [TransferStatus.FAILED, TransferStatus.PERMANENTLY_FAILED] } }, { status: TransferStatus.REVERSAL_PENDING, lastError: { $ne: null } }],
};

/** Operators' view of seller payouts: list failing transfers and reversals, and give one a new attempt. */
export class TransferOperationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock'>,
  ) {}

  async list(status: TransferStatus | null, page: AdminPageRequest): Promise<Outcome<SellerTransfer[]>> {
    const found = await newestFirstPage(this.em, SellerTransfer, status ? { status } : NEEDS_ATTENTION, page);
    return found.ok ? success(found.value.nodes) : found;
  }

  /**
   * A new attempt, made by the payout workers as soon as they next look, with
   * the same Stripe idempotency key as before (the transfer id; for a
   * reversal, transfer id and refund id):
   * - PERMANENTLY_FAILED: back to PENDING (no transfer was made) or to
   *   REVERSAL_PENDING (a reversal was owed), with a fresh retry budget;
   * - FAILED, or a REVERSAL_PENDING reversal that has failed: due now.
   * Anything else is INVALID_STATE_TRANSITION and nothing changes.
   */
  async retry(id: string): Promise<Outcome<SellerTransfer>> {
    if (!isId(id)) return fail(ErrorCode.NOT_FOUND, 'No such seller transfer.', 'id');
    const transfer = await this.em.fork().findOne(SellerTransfer, { id });
    if (!transfer) return fail(ErrorCode.NOT_FOUND, 'No such seller transfer.', 'id');
    const now = this.deps.clock.now();
    const refused = await withOrderLocked(this.em, transfer.orderId, (tx) => this.makeDue(tx, transfer, now));
    if (refused) return { ok: false, failure: refused };
    logger.info('seller_transfer.retry_requested', { transferId: transfer.id, orderId: transfer.orderId, status: transfer.status });
    return success(await this.em.fork().findOneOrFail(SellerTransfer, { id }));
  }

  /** Under the order's row lock, guarded on the status read: null when the transfer is due now. */
  private async makeDue(tx: EntityManager, transfer: SellerTransfer, now: Date): Promise<Failure | null> {
    const lostRace = userFailure(ErrorCode.INVALID_STATE_TRANSITION, 'The transfer changed meanwhile; look again.', 'id');
    switch (transfer.status) {
      case TransferStatus.PERMANENTLY_FAILED: {
        const reversalOwed = transfer.pendingReversalAmount > 0;
        if (reversalOwed && !transfer.stripeTransferId) {
          return userFailure(ErrorCode.INVALID_STATE_TRANSITION, 'The reversal has no Stripe transfer to reverse.', 'id');
        }
        const to = reversalOwed ? TransferStatus.REVERSAL_PENDING : TransferStatus.PENDING;
        const moved = await transition(tx, SellerTransfer, transfer.id, TransferStatus.PERMANENTLY_FAILED, to, { retryCount: 0, nextRetryAt: now });
        return moved === 1 ? null : lostRace;
      }
      case TransferStatus.FAILED:
        return (await updateTransferFields(tx, transfer.id, TransferStatus.FAILED, { nextRetryAt: now })) === 1 ? null : lostRace;
      case TransferStatus.REVERSAL_PENDING:
        if (transfer.lastError === null) break;
        return (await updateTransferFields(tx, transfer.id, TransferStatus.REVERSAL_PENDING, { nextRetryAt: now })) === 1 ? null : lostRace;
      // Nothing failed: a pending transfer is already due, a completed or reversed one is done.
      case TransferStatus.PENDING:
      case TransferStatus.COMPLETED:
      case TransferStatus.REVERSED:
        break;
    }
    return userFailure(ErrorCode.INVALID_STATE_TRANSITION, `The transfer is ${transfer.status}; only a failed transfer or reversal can be retried.`, 'id');
  }
}
