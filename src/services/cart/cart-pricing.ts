import { priceCart, type PricingLineInput } from '../pricing/pricing-engine';
import type { CartSnapshot } from './cart-snapshot';

export interface CartPricingOptions {
  /** Unit price per variant id to use instead of the stored one (checkout re-prices with the catalog's). */
  unitPrices?: Map<string, number>;
}

/** Merchandise subtotal of a cart read as plain data, by the same engine as the totals. */
export function snapshotSubtotal(snapshot: Pick<CartSnapshot, 'lines'>): number {
  return subtotalOf(snapshot.lines.map((line) => ({ lineId: line.id, variantId: line.variantId, quantity: line.quantity, unitPrice: line.unitPrice })));
}

const subtotalOf = (lines: PricingLineInput[]): number => priceCart({ lines, vouchers: [], shippingPrice: null, taxRateBps: 0 }).subtotal;
