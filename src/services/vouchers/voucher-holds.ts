import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import type { VoucherStore } from '../../db/stores/voucher-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import { RedemptionStatus, Voucher, VoucherRedemption } from '../../entities';
import { newId } from '../../entities/columns';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure } from '../shared/outcome';
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
 * Takes one use of the voucher for `customerKey` (invariant 3), in the
 * caller's transaction. The per-customer cap is the partial unique index on
 * (voucher, customer, slot); the global cap is one conditional update — never
 * count-then-insert. The customer's own cap is taken first, so a buyer who
 * already used a code hears VOUCHER_ALREADY_REDEEMED even when that use also
 * exhausted it; anyone else hears VOUCHER_EXHAUSTED. The caller's rollback
 * undoes the redemption row and the counter.
 */
export async function takeRedemption(
  uow: UnitOfWork,
  vouchers: VoucherStore,
  voucher: Voucher,
  customerKey: string,
  fields: RedemptionFields,
): Promise<string> {
  const redemptionId = await insertInFreeSlot(uow.em, voucher, customerKey, fields);
  if (!(await vouchers.countUse(uow, voucher.id))) abortWith(userFailure(ErrorCode.VOUCHER_EXHAUSTED, `Voucher ${voucher.code} has no uses left.`, 'code'));
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
  return lowestFreeSlotOf(new Set(live.map((r) => r.slot)), perCustomerLimit);
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
export async function releaseRedemptions(uow: UnitOfWork, vouchers: VoucherStore, redemptionIds: readonly string[], now: Date): Promise<number> {
  if (redemptionIds.length === 0) return 0;
  const rows = await uow.em.find(VoucherRedemption, { id: { $in: [...redemptionIds] } }, { fields: ['id', 'voucher'] });
  let released = 0;
  for (const row of rows) {
    const moved = await transition(uow.em, VoucherRedemption, row.id, [RedemptionStatus.HELD, RedemptionStatus.CONSUMED], RedemptionStatus.RELEASED, {
      releasedAt: now,
    });
    if (moved === 0) continue;
    await vouchers.returnUse(uow, row.voucher.id);
    released++;
  }
  return released;
}

/** Releases every live redemption of the order, as releaseRedemptions does. */
export async function releaseOrderRedemptions(uow: UnitOfWork, vouchers: VoucherStore, orderId: string, now: Date): Promise<number> {
  const rows = await uow.em.find(VoucherRedemption, { orderId, status: { $ne: RedemptionStatus.RELEASED } }, { fields: ['id'] });
  return releaseRedemptions(
    uow,
    vouchers,
    rows.map((r) => r.id),
    now,
  );
}

/** One use to take: the voucher, and the slot the buyer's live redemptions leave free. */
export interface VoucherUse {
  voucher: Pick<Voucher, 'id' | 'code' | 'perCustomerLimit'>;
  slot: number;
}

/**
 * Takes one use of every voucher for `customerKey` (invariant 3), in the
 * caller's transaction: the store writes the redemptions into their free
 * slots and counts them (VoucherStore.hold). A slot lost to a race is looked
 * for again the careful way (takeRedemption) when the customer may use the
 * voucher more than once; otherwise that customer has used it up:
 * VOUCHER_ALREADY_REDEEMED. Fewer counters moved than rows written: a voucher
 * ran out, VOUCHER_EXHAUSTED; the caller's rollback undoes the rows.
 */
export async function takeVoucherUses(
  uow: UnitOfWork,
  vouchers: VoucherStore,
  uses: readonly VoucherUse[],
  customerKey: string,
  fields: RedemptionFields,
): Promise<string[]> {
  if (uses.length === 0) return [];
  const rows = uses.map((use) => ({ id: newId(), use }));
  const { held, counted } = await vouchers.hold(
    uow,
    rows.map(({ id, use }) => ({
      id,
      voucherId: use.voucher.id,
      holder: customerKey,
      slot: use.slot,
      status: fields.status,
      orderId: fields.orderId ?? null,
      createdAt: fields.now,
    })),
  );
  const ids = rows.filter((row) => held.has(row.id)).map((row) => row.id);
  const countedCodes = rows.filter((row) => held.has(row.id)).map((row) => row.use.voucher.code);
  for (const { id, use } of rows) {
    if (held.has(id)) continue;
    if (use.voucher.perCustomerLimit === 1)
      abortWith(userFailure(ErrorCode.VOUCHER_ALREADY_REDEEMED, `You have already used voucher ${use.voucher.code}.`, 'code'));
    ids.push(await takeRedemption(uow, vouchers, use.voucher as Voucher, customerKey, fields));
  }
  if (counted !== countedCodes.length) abortWith(userFailure(ErrorCode.VOUCHER_EXHAUSTED, `Voucher ${countedCodes.join(', ')} has no uses left.`, 'code'));
  return ids;
}

/** The lowest slot 1..limit (null = unlimited) not in `taken`, or null when all are taken. */
export function lowestFreeSlotOf(taken: ReadonlySet<number>, perCustomerLimit: number | null): number | null {
  const limit = perCustomerLimit ?? Number.MAX_SAFE_INTEGER;
  for (let slot = 1; slot <= limit; slot++) if (!taken.has(slot)) return slot;
  return null;
}
