import fc from 'fast-check';
import type { PricingInput, PricingVoucherInput } from '../../../src/services/pricing/pricing-engine';

/** Small values are over-weighted: they are where ties and .5 roundings happen. */
const bpsArb = fc.oneof(fc.constantFrom(0, 1, 625, 2500, 5000, 9999, 10000), fc.integer({ min: 0, max: 10_000 }));

/**
 * Bounded so that a cart (≤ 8 lines × 1000 × 10^10, plus tax and shipping) stays far below 2^53:
 * these inputs must always price, never throw.
 */
const amountArb = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 10_000_000_000 }));

const voucherArb: fc.Arbitrary<PricingVoucherInput> = fc.oneof(
  fc.record({ code: fc.string({ minLength: 1, maxLength: 4 }), kind: fc.constant('PERCENT_OFF' as const), value: bpsArb }),
  ...(['AMOUNT_OFF', 'FREE_SHIPPING', 'CREDIT'] as const).map((kind) =>
    fc.record({ code: fc.string({ minLength: 1, maxLength: 4 }), kind: fc.constant(kind), value: amountArb }),
  ),
);

export const pricingInputArb: fc.Arbitrary<PricingInput> = fc.record({
  lines: fc
    .array(fc.record({ quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1000 })), unitPrice: amountArb }), {
      maxLength: 8,
    })
    .map((lines) => lines.map((line, index) => ({ lineId: `line-${index}`, variantId: `variant-${index}`, ...line }))),
  vouchers: fc.uniqueArray(voucherArb, { maxLength: 6, selector: (voucher) => voucher.code }),
  shippingPrice: fc.option(amountArb, { nil: null }),
  taxRateBps: bpsArb,
});

/** Amounts anywhere up to 2^53 - 1: pricing either succeeds with safe integers or throws RangeError. */
export const hugePricingInputArb: fc.Arbitrary<PricingInput> = fc.record({
  lines: fc
    .array(
      fc.record({
        quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
        unitPrice: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 }), fc.maxSafeNat()),
      }),
      { maxLength: 3 },
    )
    .map((lines) => lines.map((line, index) => ({ lineId: `line-${index}`, variantId: `variant-${index}`, ...line }))),
  vouchers: fc.uniqueArray(
    fc.oneof(
      fc.record({ code: fc.string({ minLength: 1, maxLength: 3 }), kind: fc.constant('PERCENT_OFF' as const), value: bpsArb }),
      fc.record({ code: fc.string({ minLength: 1, maxLength: 3 }), kind: fc.constant('AMOUNT_OFF' as const), value: fc.maxSafeNat() }),
    ),
    { maxLength: 3, selector: (voucher) => voucher.code },
  ),
  shippingPrice: fc.option(fc.maxSafeNat(), { nil: null }),
  taxRateBps: bpsArb,
});

/** The same input with its vouchers in another order. */
export const inputWithShuffledVouchersArb = pricingInputArb.chain((input) =>
  fc
    .shuffledSubarray(input.vouchers, { minLength: input.vouchers.length, maxLength: input.vouchers.length })
    .map((vouchers) => ({ input, shuffled: { ...input, vouchers } })),
);
