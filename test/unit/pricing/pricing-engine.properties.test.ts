import fc from 'fast-check';
import { priceCart } from '../../../src/services/pricing/pricing-engine';
import type { PricingInput, PricingResult } from '../../../src/services/pricing/pricing-engine';
import { hugePricingInputArb, inputWithShuffledVouchersArb, pricingInputArb } from './pricing-arbitraries';

const NUM_RUNS = 500;
const big = (value: number): bigint => BigInt(value);
const sum = (values: readonly number[]): bigint => values.reduce((acc, value) => acc + big(value), 0n);

/** Half-up written differently from the engine (add half, then floor) so the two cannot share a bug. */
const halfUpBasisPoints = (amount: number, bps: number): number => Number((big(amount) * big(bps) * 2n + 10_000n) / 20_000n);

const numericFields = (result: PricingResult): number[] => [
  result.subtotal,
  result.discount,
  result.shipping,
  result.shippingDiscount,
  result.shippingTax,
  result.tax,
  result.total,
  ...result.lines.flatMap((line) => [line.quantity, line.unitPrice, line.gross, line.discount, line.net, line.tax]),
];

/** Every invariant of invariant 1 of docs/design.md that a priced cart must satisfy, checked in exact BigInt arithmetic. */
function expectPricingInvariants(input: PricingInput, result: PricingResult): void {
  const badFields = numericFields(result).filter((value) => !Number.isSafeInteger(value) || value < 0 || Object.is(value, -0));
  expect(badFields).toEqual([]);

  expect(result.lines.map((line) => [line.lineId, line.variantId, line.quantity, line.unitPrice])).toEqual(
    input.lines.map((line) => [line.lineId, line.variantId, line.quantity, line.unitPrice]),
  );
  for (const line of result.lines) {
    expect(big(line.gross)).toBe(big(line.quantity) * big(line.unitPrice));
    expect(line.discount).toBeLessThanOrEqual(line.gross);
    expect(big(line.net)).toBe(big(line.gross) - big(line.discount));
    expect(line.tax).toBe(halfUpBasisPoints(line.net, input.taxRateBps));
    // Proportional share: within one unit of discount × gross / subtotal.
    const drift = big(line.discount) * big(result.subtotal) - big(result.discount) * big(line.gross);
    expect(drift < 0n ? -drift : drift).toBeLessThan(result.subtotal === 0 ? 1n : big(result.subtotal));
  }

  expect(big(result.subtotal)).toBe(sum(result.lines.map((line) => line.gross)));
  expect(big(result.discount)).toBe(sum(result.lines.map((line) => line.discount)));
  expect(result.discount).toBeLessThanOrEqual(result.subtotal);
  expect(result.shipping).toBe(input.shippingPrice ?? 0);
  expect(result.shippingDiscount).toBeLessThanOrEqual(result.shipping);
  expect(result.shippingTax).toBe(halfUpBasisPoints(result.shipping - result.shippingDiscount, input.taxRateBps));
  expect(big(result.tax)).toBe(sum(result.lines.map((line) => line.tax)) + big(result.shippingTax));
  expect(big(result.total)).toBe(big(result.subtotal) - big(result.discount) + big(result.shipping) - big(result.shippingDiscount) + big(result.tax));
}

describe('priceCart — properties', () => {
  test('when any cart is priced, then totals equal the sum of their parts and nothing is negative or unsafe', () => {
    fc.assert(
      fc.property(pricingInputArb, (input) => {
        expectPricingInvariants(input, priceCart(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('when amounts range up to 2^53, then pricing either throws RangeError or returns exact safe integers', () => {
    let priced = 0;
    let refused = 0;
    fc.assert(
      fc.property(hugePricingInputArb, (input) => {
        let result: PricingResult;
        try {
          result = priceCart(input);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          refused += 1;
          return;
        }
        priced += 1;
        expectPricingInvariants(input, result);
      }),
      { numRuns: NUM_RUNS },
    );
    // Both outcomes must actually be exercised, or this property proves nothing.
    expect(priced).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  test('when the same cart is priced twice, then the results are deep-equal', () => {
    fc.assert(
      fc.property(pricingInputArb, (input) => {
        expect(priceCart(structuredClone(input))).toEqual(priceCart(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('when the vouchers are given in another order, then the result is the same', () => {
    fc.assert(
      fc.property(inputWithShuffledVouchersArb, ({ input, shuffled }) => {
        expect(priceCart(shuffled)).toEqual(priceCart(input));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('when credit vouchers are removed, then nothing about the price changes', () => {
    fc.assert(
      fc.property(pricingInputArb, (input) => {
        const withoutCredit = { ...input, vouchers: input.vouchers.filter((voucher) => voucher.kind !== 'CREDIT') };
        expect(priceCart(input)).toEqual(priceCart(withoutCredit));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('when vouchers are applied, then every non-credit code is listed once and shipping is free iff a free-shipping voucher is present', () => {
    fc.assert(
      fc.property(pricingInputArb, (input) => {
        const result = priceCart(input);
        const expectedCodes = input.vouchers.filter((voucher) => voucher.kind !== 'CREDIT').map((voucher) => voucher.code);
        expect([...result.appliedVoucherCodes].sort()).toEqual([...expectedCodes].sort());
        const freeShipping = input.vouchers.some((voucher) => voucher.kind === 'FREE_SHIPPING');
        expect(result.shippingDiscount).toBe(freeShipping ? result.shipping : 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('when only amount vouchers apply, then the discount is their sum capped at the subtotal', () => {
    fc.assert(
      fc.property(pricingInputArb, (input) => {
        const amountOnly = { ...input, vouchers: input.vouchers.filter((voucher) => voucher.kind === 'AMOUNT_OFF') };
        const result = priceCart(amountOnly);
        const requested = sum(amountOnly.vouchers.map((voucher) => voucher.value));
        expect(big(result.discount)).toBe(requested < big(result.subtotal) ? requested : big(result.subtotal));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('when one percent voucher applies, then the discount is the half-up share of the subtotal', () => {
    fc.assert(
      fc.property(pricingInputArb, fc.integer({ min: 0, max: 10_000 }), (input, bps) => {
        const result = priceCart({ ...input, vouchers: [{ code: 'PCT', kind: 'PERCENT_OFF', value: bps }] });
        expect(result.discount).toBe(halfUpBasisPoints(result.subtotal, bps));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
