import type { VoucherStore } from '../../../db/stores/voucher-store';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { RedemptionStatus, VoucherKind } from '../../../entities';
import { checkVoucherEligibility, voucherCustomerKey } from '../../vouchers/voucher-eligibility';
import { ErrorCode } from '../../shared/error-code';
import { abortWith, userFailure } from '../../shared/outcome';
import { lowestFreeSlotOf, releaseRedemptions, takeVoucherUses, type VoucherUse } from '../../vouchers/voucher-holds';
import type { CheckoutCart } from '../checkout-cart';
import { alwaysLocal, type CheckoutStep, type HoldData, type PricedCart } from '../checkout-types';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const HOLD_VOUCHERS_STEP = 'hold-vouchers';
export const USE_VOUCHERS_STEP = 'use-vouchers';

/**
 * One redemption per price voucher on the cart, already naming the saga's
 * order id, caps enforced by the database (takeVoucherUses), written in
 * `status`. Eligibility (dates, currency, the buyer's own cap from the live
 * slots that came with the cart, the global cap as read, minimum subtotal) is
 * checked first, against the prices this checkout charges.
 */
async function holdAll(
  uow: UnitOfWork,
  vouchers: VoucherStore,
  checkout: CheckoutCart,
  { cart, pricing }: PricedCart,
  orderId: string,
  status: RedemptionStatus.HELD | RedemptionStatus.CONSUMED,
  now: Date,
): Promise<HoldData> {
  const priced = cart.pricingInputs.vouchers.filter((voucher) => voucher.kind !== VoucherKind.CREDIT);
  if (priced.length === 0) return { redemptionIds: [] };
  const customerKey = voucherCustomerKey({ customerId: cart.customerId, email: cart.email })!;
  const uses: VoucherUse[] = [];
  for (const voucher of priced) {
    const taken = checkout.liveSlots.get(voucher.id) ?? new Set<number>();
    const refusal = await checkVoucherEligibility(uow, voucher, {
      currency: cart.currency,
      subtotal: pricing.subtotal,
      customerKey,
      now,
      usedByCustomer: taken.size,
    });
    if (refusal) abortWith(refusal);
    const slot = lowestFreeSlotOf(taken, voucher.perCustomerLimit);
    if (slot === null) abortWith(userFailure(ErrorCode.VOUCHER_ALREADY_REDEEMED, `You have already used voucher ${voucher.code}.`, 'code'));
    uses.push({ voucher, slot: slot! });
  }
  return { redemptionIds: await takeVoucherUses(uow, vouchers, uses, customerKey, { status, orderId, now }) };
}

function voucherStep<K extends 'hold-vouchers' | 'use-vouchers'>(id: K, status: RedemptionStatus.HELD | RedemptionStatus.CONSUMED): CheckoutStep<K> {
  return {
    id,
    isLocal: alwaysLocal,
    async invoke(uow, run, deps) {
      const { vouchers } = deps.stores;
      const held = await holdAll(uow, vouchers, run.output(CLAIM_CART_STEP), run.output(PRICE_GUARD_STEP), run.input.orderId, status, deps.clock.now());
      return { output: held, compensation: held };
    },
    /** RELEASED, row kept, counter given back — only for rows still live, so twice is once. */
    async compensate(em, { redemptionIds }, deps) {
      await deps.db.transaction(em, (uow) => releaseRedemptions(uow, deps.stores.vouchers, redemptionIds, deps.clock.now()));
    },
  };
}

/** Step 4 of the provider path: the uses HELD for the order; finalize consumes them once it is paid, the compensation gives them back. */
export const holdVouchersStep = voucherStep(HOLD_VOUCHERS_STEP, RedemptionStatus.HELD);

/** Step 4 of the local path: the uses CONSUMED at once, in the path's one transaction (a rollback gives them back). */
export const useVouchersStep = voucherStep(USE_VOUCHERS_STEP, RedemptionStatus.CONSUMED);
