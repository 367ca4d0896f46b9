import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { RedemptionStatus, Voucher, VoucherRedemption } from '../../entities';
import { newId } from '../../entities/columns';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure } from '../shared/outcome';
import { guardedUpdate } from '../state/guarded-sql';
import { transition } from '../state/transition';

export interface RedemptionFields {
  status: RedemptionStatus;
  orderId?: string | null;
  creditGranted?: number | null;
  creditCurrency?: string | null;
  /** Uses allowed to this customer; defaults to the voucher's own limit (null = unlimited). */
  perCustomerLimit?: number | null;
  now: Date;
}

/**
 * Takes one use of the voucher for `customerKey` (DESIGN invariant 3), in the
 * caller's transaction. The per-customer cap is the partial unique index on
 * (voucher, customer, slot); the global cap is one conditional update — never
 * count-then-insert. The customer's own cap is taken first, so a buyer who
 * already used a code hears VOUCHER_ALREADY_REDEEMED even when that use also
 * exhausted it; anyone else hears VOUCHER_EXHAUSTED. The caller's rollback
 * undoes the redemption row and the counter.
 */
export async function takeRedemption(
  tx: EntityManager,
  voucher: Voucher,
  customerKey: string,
  fields: RedemptionFields,
): Promise<string> {
  const redemptionId = await insertInFreeSlot(tx, voucher, customerKey, fields);
  const counted = await guardedUpdate(
    tx,
    'update vouchers set redemption_count = redemption_count + 1 where id = ? and (max_redemptions is null or redemption_count < max_redemptions)',
    [voucher.id],
  );
  if (counted === 0) abortWith(userFailure(ErrorCode.VOUCHER_EXHAUSTED, `Voucher ${voucher.code} has no uses left.`, 'code'));
  return redemptionId;
}

/** The redemption row in this customer's lowest free slot; the unique index refuses a slot taken concurrently. */
async function insertInFreeSlot(tx: EntityManager, voucher: Voucher, customerKey: string, fields: RedemptionFields): Promise<string> {
  // A concurrent buyer may take the slot we picked; the savepoint lets us look again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const slot = await lowestFreeSlot(tx, voucher.id, customerKey, fields.perCustomerLimit === undefined ? voucher.perCustomerLimit : fields.perCustomerLimit);
    if (slot === null) break;
    try {
      const id = newId();
      await tx.transactional(async (inner) =>
        inner.insert(VoucherRedemption, {
          id,
          voucher: voucher.id,
          customerKey,
          slot,
          status: fields.status,
          orderId: fields.orderId ?? null,
          creditGranted: fields.creditGranted ?? null,
          creditCurrency: fields.creditCurrency ?? null,
          createdAt: fields.now,
        }),
      );
      return id;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
  }
  return abortWith(userFailure(ErrorCode.VOUCHER_ALREADY_REDEEMED, `You have already used voucher ${voucher.code}.`, 'code'));
}

/** The lowest slot 1..perCustomerLimit not held by a live redemption, or null when all are taken. */
async function lowestFreeSlot(tx: EntityManager, voucherId: string, customerKey: string, perCustomerLimit: number | null): Promise<number | null> {
  const live = await tx.find(
    VoucherRedemption,
    { voucher: voucherId, customerKey, status: { $ne: RedemptionStatus.RELEASED } },
    { fields: ['slot'], orderBy: { slot: 'asc' } },
  );
  const taken = new Set(live.map((r) => r.slot));
  const limit = perCustomerLimit ?? Number.MAX_SAFE_INTEGER;
  for (let slot = 1; slot <= limit; slot++) if (!taken.has(slot)) return slot;
  return null;
}

/** HELD → CONSUMED for every id; returns how many moved. */
export function consumeRedemptions(tx: EntityManager, redemptionIds: readonly string[], orderId: string | null): Promise<number> {
  const extra = orderId ? { orderId } : {};
  return transition(tx, VoucherRedemption, redemptionIds, RedemptionStatus.HELD, RedemptionStatus.CONSUMED, extra);
}

/**
 * Gives uses back (status RELEASED, row kept for audit). The counter drops only
 * for rows this call actually moved, so running it twice changes nothing.
 */
export async function releaseRedemptions(tx: EntityManager, redemptionIds: readonly string[], now: Date): Promise<number> {
  if (redemptionIds.length === 0) return 0;
  const rows = await tx.find(VoucherRedemption, { id: { $in: [...redemptionIds] } }, { fields: ['id', 'voucher'] });
  let released = 0;
  for (const row of rows) {
    const moved = await transition(tx, VoucherRedemption, row.id, [RedemptionStatus.HELD, RedemptionStatus.CONSUMED], RedemptionStatus.RELEASED, { releasedAt: now });
    if (moved === 0) continue;
    await guardedUpdate(tx, 'update vouchers set redemption_count = redemption_count - 1 where id = ? and redemption_count > 0', [row.voucher.id]);
    released++;
  }
  return released;
}

export async function releaseOrderRedemptions(tx: EntityManager, orderId: string, now: Date): Promise<number> {
  const rows = await tx.find(VoucherRedemption, { orderId, status: { $ne: RedemptionStatus.RELEASED } }, { fields: ['id'] });
  return releaseRedemptions(tx, rows.map((r) => r.id), now);
}
