import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '../../src/db/orm';
import { type Cart, type CartLine, ShippingMethod, TaxRate, Voucher } from '../../src/entities';
import type { CartPricingOptions } from '../../src/services/cart/cart-pricing';
import { priceCart, type PricingResult } from '../../src/services/pricing/pricing-engine';

export interface EntityCartPricing {
  pricing: PricingResult;
  /** The cart's vouchers that still exist, in the cart's order. */
  vouchers: Voucher[];
  taxRateBps: number;
}

/**
 * The oracle for snapshot pricing: the same cart priced the slow, obvious way, from its hydrated
 * entities, one query per input, through the one pricing engine (invariant 2). The gateway prices
 * snapshots only; this second reading is what a test holds them against.
 */
export async function priceCartEntity(em: EntityManager, cart: Cart, options: CartPricingOptions = {}): Promise<EntityCartPricing> {
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

/** The cart's lines in the order the buyer added them. */
async function orderedLines(cart: Cart): Promise<CartLine[]> {
  if (!cart.lines.isInitialized()) await cart.lines.init();
  return [...cart.lines.getItems()].sort((a, b) => a.position - b.position);
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
