import type { EntityData } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { SellerTransfer, type TransferStatus } from '../../entities';

/** Everything on a transfer except its status, which only `transition()` may change. */
export type TransferFields = Omit<EntityData<SellerTransfer>, 'status' | 'id'>;

/**
 * Updates bookkeeping fields (lease, retry count, error) of a transfer that is
 * still in `expected`: a guarded compare-and-set, so a worker that lost its
 * row to another never writes over it. Returns rows changed (0 or 1).
 */
export function updateTransferFields(
  tx: EntityManager,
  id: string,
  expected: TransferStatus,
  fields: TransferFields,
  extraGuard: EntityData<SellerTransfer> = {},
): Promise<number> {
  return tx.nativeUpdate(SellerTransfer, { ...extraGuard, id, status: expected }, fields);
}
