import type { RedemptionStatus, VoucherKind } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';

/** A voucher's facts as pricing and eligibility read them: read with the cart, as plain data. */
export interface VoucherSnapshot {
  id: string;
  code: string;
  kind: VoucherKind;
  value: number;
  currency: string | null;
  maxRedemptions: number | null;
  perCustomerLimit: number | null;
  redemptionCount: number;
  startsAt: Date | null;
  endsAt: Date | null;
  minSubtotal: number | null;
}

/** One use of one voucher to write, in a slot of its holder's. */
export interface NewRedemption {
  id: string;
  voucherId: string;
  /** Whose use it is: a customer id, or `email:<address>` for a guest (voucherCustomerKey). */
  holder: string;
  /** 1..the voucher's per-holder limit: the partial unique index refuses a slot a live use already holds. */
  slot: number;
  status: RedemptionStatus;
  orderId: string | null;
  createdAt: Date;
}

/** What a hold wrote: the redemptions that went in, and how many of their vouchers' counters moved. */
export interface HeldUses {
  /** Ids of the redemptions written; one missing lost its slot to a live use (a concurrent checkout's, say). */
  held: ReadonlySet<string>;
  /** Vouchers whose use counter moved; fewer than `held` means a voucher reached its total cap. */
  counted: number;
}

/**
 * Voucher uses and their caps (invariant 3): the per-holder cap is the
 * partial unique index on live (voucher, holder, slot) rows, the total cap a
 * conditional update of the voucher's counter; nothing counts and then
 * inserts. Every method runs in the caller's transaction, whose rollback
 * undoes a use the caller refuses.
 */
export interface VoucherStore {
  /**
   * Writes the redemptions (one per voucher) and counts each one written
   * against its voucher's total cap. A slot already held drops its row
   * silently (not in `held`); a voucher at its cap leaves `counted` short, and
   * the caller must roll back. One statement on PostgreSQL, two on libSQL.
   */
  hold(uow: UnitOfWork, redemptions: readonly NewRedemption[]): Promise<HeldUses>;

  /** Counts one more use of the voucher unless its total cap is reached; false: at the cap, nothing changed. One statement. */
  countUse(uow: UnitOfWork, voucherId: string): Promise<boolean>;

  /** Gives one use back to the voucher's counter, never below zero. One statement. */
  returnUse(uow: UnitOfWork, voucherId: string): Promise<void>;
}
