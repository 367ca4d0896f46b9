import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { type Cart, type CartLine, ShippingMethod, TaxRate, Voucher } from '../../entities';
import { priceCart, type PricingLineInput, type PricingResult } from '../pricing/pricing-engine';
import type { CartSnapshot } from './cart-snapshot';

export interface CartPricing {
  pricing: PricingResult;
  /** The cart's vouchers that still exist, in the cart's order. */
  vouchers: Voucher[];
  taxRateBps: number;
}

export interface CartPricingOptions {
  /** Unit price per variant id to use instead of the stored one (checkout re-prices with the catalog's). */
  unitPrices?: Map<string, number>;
}

/** The cart's lines in the order the buyer added them. */
export async function orderedLines(cart: Cart): Promise<CartLine[]> {
  if (!cart.lines.isInitialized()) await cart.lines.init();
  return [...cart.lines.getItems()].sort((a, b) => a.position - b.position);
}

/**
 * The only way anything prices a cart (invariant 2): cart totals,
 * checkout preview and the order snapshot all come from here, so they cannot
 * drift apart. Loads what the pure engine needs and nothing it does not.
 */
export async function priceCartEntity(em: EntityManager, cart: Cart, options: CartPricingOptions = {}): Promise<CartPricing> {
  // Sequential on purpose: inside a caller's transaction these share one connection anyway.
  const lines = await orderedLines(cart);
  const vouchers = await loadCartVouchers(em, cart.voucherCodes);
  const taxRateBps = await taxRateFor(em, cart.shippingAddress?.country ?? null);
  const shippingPrice = await shippingPriceOf(em, cart);
  const pricing = priceCart({
    lines: lines.map((line) => ({
      lineId: line.id,
      variantId: line.variant.id,
      quantity: line.quantity,
      unitPrice: options.unitPrices?.get(line.variant.id) ?? line.unitPrice,
      kind: line.variant.kind,
    })),
    vouchers: vouchers.map((voucher) => ({ code: voucher.code, kind: voucher.kind, value: voucher.value })),
    shippingPrice,
    taxRateBps,
  });
  return { pricing, vouchers, taxRateBps };
}

async function loadCartVouchers(em: EntityManager, codes: readonly string[]): Promise<Voucher[]> {
  if (codes.length === 0) return [];
  const found = await em.find(Voucher, { code: { $in: [...codes] } });
  const byCode = new Map(found.map((voucher) => [voucher.code, voucher]));
  // A code whose voucher was deleted simply stops counting.
  return codes.flatMap((code) => byCode.get(code) ?? []);
}

async function taxRateFor(em: EntityManager, country: string | null): Promise<number> {
  if (!country) return 0;
  const rate = await em.findOne(TaxRate, { country });
  return rate?.rateBps ?? 0;
}

async function shippingPriceOf(em: EntityManager, cart: Cart): Promise<number | null> {
  const method = cart.shippingMethod;
  if (!method) return null;
  if (wrap(method).isInitialized()) return method.price;
  const loaded = await em.findOne(ShippingMethod, { id: method.id });
  return loaded?.price ?? null;
}

/** Merchandise subtotal from the stored unit prices, by the same engine as the totals. */
export async function cartSubtotal(cart: Cart): Promise<number> {
  const lines = await orderedLines(cart);
  return subtotalOf(lines.map((line) => ({ lineId: line.id, variantId: line.variant.id, quantity: line.quantity, unitPrice: line.unitPrice })));
}

/** The same subtotal of a cart read as plain data. */
export function snapshotSubtotal(snapshot: Pick<CartSnapshot, 'lines'>): number {
  return subtotalOf(snapshot.lines.map((line) => ({ lineId: line.id, variantId: line.variantId, quantity: line.quantity, unitPrice: line.unitPrice })));
}

const subtotalOf = (lines: PricingLineInput[]): number => priceCart({ lines, vouchers: [], shippingPrice: null, taxRateBps: 0 }).subtotal;
