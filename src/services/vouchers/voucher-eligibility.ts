import type { UnitOfWork } from '../../db/unit-of-work';
import { RedemptionStatus, type Voucher, VoucherKind, VoucherRedemption } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';

export interface VoucherEligibilityContext {
  /** The cart's currency. */
  currency: string;
  /** Merchandise subtotal before any discount, minor units. */
  subtotal: number;
  /** Customer id, or "email:<lower-cased email>" for a guest; null when the buyer is not known yet. */
  customerKey: string | null;
  now: Date;
  /** This customer's live uses of the voucher, when the caller already read them (checkout does, with the cart). */
  usedByCustomer?: number;
}

/** The key per-customer limits count under (VoucherRedemption.customerKey). */
export function voucherCustomerKey(buyer: { customerId: string | null; email: string | null }): string | null {
  if (buyer.customerId) return buyer.customerId;
  return buyer.email ? `email:${buyer.email.trim().toLowerCase()}` : null;
}

/** The voucher facts eligibility reads: an entity or a plain VoucherSnapshot both fit. */
export type VoucherFacts = Pick<
  Voucher,
  'id' | 'kind' | 'currency' | 'startsAt' | 'endsAt' | 'perCustomerLimit' | 'maxRedemptions' | 'redemptionCount' | 'minSubtotal'
>;

/**
 * Whether `voucher` may be used on a cart right now, checked in a fixed order so
 * the buyer always gets the same reason (their own limit before the global cap,
 * as takeRedemption does). Advisory: the caps are only binding when
 * checkout holds a redemption under a lock, which re-runs this first. The
 * unit forks a request's manager only for the per-customer count.
 */
export async function checkVoucherEligibility(uow: UnitOfWork, voucher: VoucherFacts, context: VoucherEligibilityContext): Promise<Failure | null> {
  const refuse = (code: ErrorCode, message: string) => userFailure(code, message, 'code');
  if (voucher.kind === VoucherKind.CREDIT) {
    return refuse(ErrorCode.VOUCHER_NOT_APPLICABLE, 'This voucher grants store credit: redeem it from your account, not on a cart.');
  }
  if (voucher.currency !== null && voucher.currency !== context.currency) {
    return refuse(ErrorCode.VOUCHER_NOT_APPLICABLE, `This voucher is only valid for ${voucher.currency} carts.`);
  }
  if (voucher.startsAt && voucher.startsAt.getTime() > context.now.getTime()) {
    return refuse(ErrorCode.VOUCHER_NOT_STARTED, `This voucher is valid from ${voucher.startsAt.toISOString()}.`);
  }
  if (voucher.endsAt && voucher.endsAt.getTime() <= context.now.getTime()) {
    return refuse(ErrorCode.VOUCHER_EXPIRED, 'This voucher has expired.');
  }
  if (voucher.perCustomerLimit !== null && context.customerKey !== null) {
    const used =
      context.usedByCustomer ??
      (await uow.em.count(VoucherRedemption, {
        voucher: voucher.id,
        customerKey: context.customerKey,
        status: { $in: [RedemptionStatus.HELD, RedemptionStatus.CONSUMED] },
      }));
    if (used >= voucher.perCustomerLimit) {
      return refuse(ErrorCode.VOUCHER_ALREADY_REDEEMED, 'You have already used this voucher as often as it allows.');
    }
  }
  if (voucher.maxRedemptions !== null && voucher.redemptionCount >= voucher.maxRedemptions) {
    return refuse(ErrorCode.VOUCHER_EXHAUSTED, 'This voucher has been used up.');
  }
  if (voucher.minSubtotal !== null && voucher.minSubtotal > context.subtotal) {
    return refuse(ErrorCode.VOUCHER_NOT_APPLICABLE, `This voucher needs a subtotal of at least ${voucher.minSubtotal} (minor units).`);
  }
  return null;
}
