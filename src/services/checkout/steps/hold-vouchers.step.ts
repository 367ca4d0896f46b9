import type { EntityManager } from '../../../db/orm';
import { RedemptionStatus, Voucher, VoucherKind, type Cart } from '../../../entities';
import { cartSubtotal } from '../../cart/cart-pricing';
import { checkVoucherEligibility, voucherCustomerKey } from '../../cart/voucher-eligibility';
import { abortWith } from '../../shared/outcome';
import { releaseRedemptions, takeRedemption } from '../../vouchers/voucher-holds';
import { alwaysLocal, type CheckoutStep, type HoldData } from '../checkout-types';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const HOLD_VOUCHERS_STEP = 'hold-vouchers';

/**
 * Step 4: one HELD redemption per price voucher on the cart (already naming
 * the saga's order id), caps enforced by
 * the database. Eligibility (dates, currency, minimum subtotal) is re-checked
 * first, against the prices this checkout will charge.
 */
async function holdAll(tx: EntityManager, cart: Cart, orderId: string, now: Date): Promise<HoldData> {
  if (cart.voucherCodes.length === 0) return { redemptionIds: [] };
  const vouchers = (await tx.find(Voucher, { code: { $in: [...cart.voucherCodes] } }, { orderBy: { id: 'asc' } }))
    .filter((voucher) => voucher.kind !== VoucherKind.CREDIT);
  const customerKey = voucherCustomerKey({ customerId: cart.customer?.id ?? null, email: cart.email })!;
  const subtotal = await cartSubtotal(cart);
  const redemptionIds: string[] = [];
  for (const voucher of vouchers) {
    const refusal = await checkVoucherEligibility(tx, voucher, { currency: cart.currency, subtotal, customerKey, now });
    if (refusal) abortWith(refusal);
    // Linked to the order id chosen up front, so create-order need not touch the rows again.
    redemptionIds.push(await takeRedemption(tx, voucher, customerKey, { status: RedemptionStatus.HELD, orderId, now }));
  }
  return { redemptionIds };
}

export const holdVouchersStep: CheckoutStep<'hold-vouchers'> = {
  id: HOLD_VOUCHERS_STEP,
  isLocal: alwaysLocal,
  async invoke(tx, run, deps) {
    const held = await holdAll(tx, run.output(PRICE_GUARD_STEP).cart, run.input.orderId, deps.clock.now());
    return { output: held, compensation: held };
  },
  /** RELEASED, row kept, counter given back — only for rows still live, so twice is once. */
  async compensate(em, { redemptionIds }, deps) {
    await em.transactional((tx) => releaseRedemptions(tx, redemptionIds, deps.clock.now()));
  },
};
