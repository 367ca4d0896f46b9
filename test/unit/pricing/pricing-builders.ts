import type { PricingInput, PricingLineInput, PricingVoucherInput } from '../../../src/services/pricing/pricing-engine';

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}-${(sequence += 1)}`;

export function buildLine(overrides: Partial<PricingLineInput> = {}): PricingLineInput {
  return { lineId: nextId('line'), variantId: nextId('variant'), quantity: 1, unitPrice: 1000, ...overrides };
}

export function buildVoucher(overrides: Partial<PricingVoucherInput> = {}): PricingVoucherInput {
  return { code: nextId('CODE'), kind: 'AMOUNT_OFF', value: 100, ...overrides };
}

export function buildInput(overrides: Partial<PricingInput> = {}): PricingInput {
  return { lines: [buildLine()], vouchers: [], shippingPrice: null, taxRateBps: 0, ...overrides };
}
