/**
 * The one pricing engine (invariants 1 and 2, docs/design.md). Cart totals, the
 * checkout preview and the confirmed order all call `priceCart`, so the buyer
 * pays exactly what was previewed. It is pure: no I/O, no clock, no
 * randomness, no floats — integer minor units in, integer minor units out,
 * with BigInt for every product and rate multiplication.
 *
 * Product rules:
 * - gross = quantity × unitPrice per line; subtotal = Σ gross.
 * - Vouchers apply in a fixed order whatever the input order: PERCENT_OFF,
 *   then AMOUNT_OFF, then FREE_SHIPPING; within a kind by code (code-unit
 *   order, not locale order, so every server sorts alike). Duplicate codes are
 *   rejected: applying one voucher twice would be a money bug upstream.
 *   - PERCENT_OFF (value in bps) takes roundHalfUp(remaining × bps / 10000) of
 *     the merchandise left after earlier vouchers, so 50% + 50% = 75% off.
 *   - AMOUNT_OFF takes min(value, remaining).
 *   - FREE_SHIPPING zeroes shipping (shippingDiscount = shipping); several do
 *     not stack beyond shipping.
 *   - CREDIT has no price effect (it is redeemed into the store-credit ledger
 *     elsewhere) and is not listed in appliedVoucherCodes. Every other voucher
 *     is listed, in application order, even when its discount is 0.
 *   The merchandise discount therefore never exceeds the subtotal.
 * - The merchandise discount is allocated to lines in proportion to gross by
 *   largest remainder (ties: earlier line first); Σ line discount = discount,
 *   no line gets more than its gross, zero-gross lines get 0.
 * - Prices are tax-exclusive. Line tax = roundHalfUp(net × taxRateBps / 10000)
 *   with net = gross − discount, rounded per line; shippingTax is the same rule
 *   on shipping − shippingDiscount (shipping tax is on post-discount shipping).
 *   tax = Σ line tax + shippingTax. Half-up rounds .5 away from zero.
 * - A cart whose lines are all DIGITAL (or plans, SUBSCRIPTION) ships nothing:
 *   shipping is 0 whatever method is set (and such a checkout needs none).
 * - total = subtotal − discount + shipping − shippingDiscount + tax, exactly.
 * - Lines keep their input order. Bad input (non-integers, negatives, rates
 *   outside 0..10000 bps, a result above Number.MAX_SAFE_INTEGER) throws
 *   RangeError. The MAX_ORDER_AMOUNT ceiling is the checkout's business check,
 *   not this function's.
 */
import { allocateLargestRemainder } from './allocation';
import { applyBasisPoints } from './rounding';
import { assertBasisPoints, assertNonNegativeSafeInteger, assertPositiveSafeInteger, sumExact, toSafeInteger } from './safe-integer';

export { allocateLargestRemainder } from './allocation';
export { applyBasisPoints, roundHalfUpDiv } from './rounding';

export type PricingVoucherKind = 'PERCENT_OFF' | 'AMOUNT_OFF' | 'FREE_SHIPPING' | 'CREDIT';

export type PricingLineKind = 'PHYSICAL' | 'DIGITAL' | 'SUBSCRIPTION';

export interface PricingLineInput {
  lineId: string;
  variantId: string;
  quantity: number;
  unitPrice: number;
  /** Default PHYSICAL. A cart without PHYSICAL lines ships nothing, so it costs no shipping. */
  kind?: PricingLineKind;
}

export interface PricingVoucherInput {
  code: string;
  kind: PricingVoucherKind;
  value: number;
}

export interface PricingInput {
  lines: PricingLineInput[];
  vouchers: PricingVoucherInput[];
  /** null = no shipping method chosen yet (shipping 0). */
  shippingPrice: number | null;
  /** Rate for the shipping address country in basis points; 0 when no address. */
  taxRateBps: number;
}

export interface PricedLine {
  lineId: string;
  variantId: string;
  quantity: number;
  unitPrice: number;
  gross: number;
  discount: number;
  net: number;
  tax: number;
  /** The input's kind, when it named one. */
  kind?: PricingLineKind;
}

export interface PricingResult {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingDiscount: number;
  shippingTax: number;
  tax: number;
  total: number;
  appliedVoucherCodes: string[];
}

/** Application order of the kinds that affect the price; CREDIT never reaches it. */
const APPLICATION_RANK: Record<Exclude<PricingVoucherKind, 'CREDIT'>, number> = {
  PERCENT_OFF: 0,
  AMOUNT_OFF: 1,
  FREE_SHIPPING: 2,
};

type PriceVoucher = PricingVoucherInput & { kind: Exclude<PricingVoucherKind, 'CREDIT'> };

interface VoucherOutcome {
  discount: number;
  shippingDiscount: number;
  appliedVoucherCodes: string[];
}

export function priceCart(input: PricingInput): PricingResult {
  const taxRateBps = assertBasisPoints(input.taxRateBps, 'taxRateBps');
  const shipping = input.shippingPrice === null || !needsShipping(input.lines) ? 0 : assertNonNegativeSafeInteger(input.shippingPrice, 'shippingPrice');
  const grosses = input.lines.map((line, index) => lineGross(line, index));
  const subtotal = sumExact(grosses, 'subtotal');

  const vouchers = validateVouchers(input.vouchers);
  const { discount, shippingDiscount, appliedVoucherCodes } = applyVouchers(vouchers, subtotal, shipping);

  // discount <= subtotal = Σ gross, which is what keeps every allocation within its line's gross.
  const lineDiscounts = allocateLargestRemainder(discount, grosses);
  const lines = input.lines.map((line, index): PricedLine => {
    const gross = grosses[index];
    const net = gross - lineDiscounts[index];
    return {
      lineId: line.lineId,
      variantId: line.variantId,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      gross,
      discount: lineDiscounts[index],
      net,
      tax: applyBasisPoints(net, taxRateBps),
      ...(line.kind ? { kind: line.kind } : {}),
    };
  });

  const shippingTax = applyBasisPoints(shipping - shippingDiscount, taxRateBps);
  const tax = sumExact([...lines.map((line) => line.tax), shippingTax], 'tax');
  const total = toSafeInteger(BigInt(subtotal) - BigInt(discount) + BigInt(shipping) - BigInt(shippingDiscount) + BigInt(tax), 'total');

  return { lines, subtotal, discount, shipping, shippingDiscount, shippingTax, tax, total, appliedVoucherCodes };
}

/** Whether the lines ship anything: an empty cart keeps its method's price (as before), one without PHYSICAL lines does not. */
export function needsShipping(lines: readonly Pick<PricingLineInput, 'kind'>[]): boolean {
  return lines.length === 0 || lines.some((line) => (line.kind ?? 'PHYSICAL') === 'PHYSICAL');
}

function lineGross(line: PricingLineInput, index: number): number {
  const quantity = assertPositiveSafeInteger(line.quantity, `lines[${index}].quantity`);
  const unitPrice = assertNonNegativeSafeInteger(line.unitPrice, `lines[${index}].unitPrice`);
  return toSafeInteger(BigInt(quantity) * BigInt(unitPrice), `lines[${index}].gross`);
}

/** Validates every voucher (CREDIT included) and returns the price-affecting ones in application order. */
function validateVouchers(vouchers: readonly PricingVoucherInput[]): PriceVoucher[] {
  const seenCodes = new Set<string>();
  const priced: PriceVoucher[] = [];
  vouchers.forEach((voucher, index) => {
    const label = `vouchers[${index}]`;
    if (typeof voucher.code !== 'string' || voucher.code.length === 0) {
      throw new RangeError(`${label}.code must be a non-empty string`);
    }
    if (seenCodes.has(voucher.code)) throw new RangeError(`${label}: voucher code ${voucher.code} appears twice`);
    seenCodes.add(voucher.code);
    if (voucher.kind === 'PERCENT_OFF') {
      assertBasisPoints(voucher.value, `${label}.value`);
    } else if (voucher.kind === 'AMOUNT_OFF' || voucher.kind === 'FREE_SHIPPING' || voucher.kind === 'CREDIT') {
      // FREE_SHIPPING and CREDIT values do not move the price, but a malformed one still means a bug upstream.
      assertNonNegativeSafeInteger(voucher.value, `${label}.value`);
    } else {
      throw new RangeError(`${label}.kind is not a known voucher kind: ${String(voucher.kind)}`);
    }
    if (voucher.kind !== 'CREDIT') priced.push({ ...voucher, kind: voucher.kind });
  });
  return priced.sort((a, b) => APPLICATION_RANK[a.kind] - APPLICATION_RANK[b.kind] || compareCodeUnits(a.code, b.code));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function applyVouchers(vouchers: readonly PriceVoucher[], subtotal: number, shipping: number): VoucherOutcome {
  let remaining = subtotal;
  let shippingDiscount = 0;
  for (const voucher of vouchers) {
    switch (voucher.kind) {
      case 'PERCENT_OFF':
        // bps <= 10000, so this never takes more than what remains.
        remaining -= applyBasisPoints(remaining, voucher.value);
        break;
      case 'AMOUNT_OFF':
        remaining -= Math.min(voucher.value, remaining);
        break;
      case 'FREE_SHIPPING':
        shippingDiscount = shipping;
        break;
    }
  }
  return {
    discount: subtotal - remaining,
    shippingDiscount,
    appliedVoucherCodes: vouchers.map((voucher) => voucher.code),
  };
}
