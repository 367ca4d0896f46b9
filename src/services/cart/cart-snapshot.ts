import type { CartStore } from '../../db/stores/cart-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import type { AddressValue, CartStatus, VariantKind } from '../../entities';
import { priceCart, type PricingResult } from '../pricing/pricing-engine';
import type { VoucherSnapshot } from '../../db/stores/voucher-store';
import type { CartPricingOptions } from './cart-pricing';
import { versionKeyOf } from './version-key';

/**
 * A cart as plain data, read without hydrating a single entity: the cart row,
 * its lines with their variants' current catalog facts, its shipping method,
 * and what pricing it needs (tax rate, vouchers). Hot paths (cart mutations,
 * checkout) read one of these in one statement, price it in memory and answer
 * from it.
 */
export interface CartSnapshot {
  id: string;
  status: CartStatus;
  version: number;
  currency: string;
  email: string | null;
  customerId: string | null;
  /** The owning customer's account email (null for a guest cart). */
  customerEmail: string | null;
  shippingMethod: ShippingMethodSnapshot | null;
  shippingAddress: AddressValue | null;
  voucherCodes: string[];
  pricesValidatedAt: Date | null;
  nextLinePosition: number;
  updatedAt: Date;
  createdAt: Date;
  /** In the order the buyer added them (by position). */
  lines: CartLineSnapshot[];
  /** What pricing needs besides the cart, read in the same statement. */
  pricingInputs: PricingInputs;
}

export interface ShippingMethodSnapshot {
  id: string;
  name: string;
  price: number;
  currency: string;
}

export interface CartLineSnapshot {
  id: string;
  variantId: string;
  quantity: number;
  /** The unit price stored on the line: what the buyer was last shown. */
  unitPrice: number;
  position: number;
  /** The variant's current catalog price. */
  catalogPrice: number;
  variantCurrency: string;
  sku: string;
  variantName: string;
  productId: string;
  productName: string;
  /** The product's seller (marketplace payouts); null for the platform's own goods. */
  sellerId: string | null;
  /** DIGITAL lines never reserve stock, need no shipping and get a license per unit. */
  kind: VariantKind;
}

/**
 * Tax rate and vouchers, with what they were read for. A snapshot changed in
 * memory (another address, other codes) no longer matches its basis, and
 * `priceSnapshot` then reads the inputs again rather than price with stale ones.
 */
export interface PricingInputs {
  country: string | null;
  voucherCodes: readonly string[];
  taxRateBps: number;
  /** The vouchers of `voucherCodes` that exist, in that order (a deleted one simply stops counting). */
  vouchers: VoucherSnapshot[];
}

/** The catalog facts of a line: what it shows besides its own columns. */
export type VariantFacts = Omit<CartLineSnapshot, 'id' | 'quantity' | 'unitPrice' | 'position'>;

// ---------------------------------------------------------------------------------------------
// Reading

/** The cart store and the unit of work a read runs in. */
export interface CartReads {
  carts: CartStore;
  uow: UnitOfWork;
}

/**
 * The cart as plain data in one statement, or null when there is no such cart.
 * With `lock`, the cart's row is held first, in a statement of its own
 * (CartStore.lock says why); call it inside the caller's transaction for the
 * lock to mean anything. Access rules are the caller's (canAccessSnapshot).
 */
export async function loadCartSnapshot({ carts, uow }: CartReads, cartId: string, options: { lock: boolean }): Promise<CartSnapshot | null> {
  if (options.lock && !(await carts.lock(uow, cartId))) return null;
  return (await carts.read(uow, cartId))?.snapshot ?? null;
}

// ---------------------------------------------------------------------------------------------
// Keys and prices

/** The same key `cartVersionKey` gives the same cart as an entity (invariant 6). */
export function snapshotVersionKey(snapshot: Omit<CartSnapshot, 'customerEmail'>): string {
  return versionKeyOf({
    lines: snapshot.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity, unitPrice: line.unitPrice, kind: line.kind })),
    voucherCodes: snapshot.voucherCodes,
    shippingMethodId: snapshot.shippingMethod?.id ?? null,
    address: snapshot.shippingAddress,
    currency: snapshot.currency,
    customerId: snapshot.customerId,
    email: snapshot.email,
  });
}

/** What pricing reads of a snapshot. */
export type PriceableCart = Pick<CartSnapshot, 'lines' | 'shippingMethod' | 'shippingAddress' | 'voucherCodes' | 'pricingInputs'>;

export interface SnapshotPricing {
  pricing: PricingResult;
  /** The cart's vouchers that exist, in the cart's order. */
  vouchers: VoucherSnapshot[];
  taxRateBps: number;
}

/**
 * The snapshot through the one pricing engine (invariant 2); a test holds it
 * to the same cart priced from its entities. No statement when the snapshot's
 * pricing inputs match its address and codes (they always do as read); one
 * when they were changed in memory since.
 */
export async function priceSnapshot(reads: CartReads, snapshot: PriceableCart, options: CartPricingOptions = {}): Promise<SnapshotPricing> {
  const inputs = inputsCover(snapshot)
    ? snapshot.pricingInputs
    : await reads.carts.pricingInputs(reads.uow, snapshot.shippingAddress?.country ?? null, snapshot.voucherCodes);
  return { pricing: priceSnapshotWith(snapshot, inputs, options), vouchers: inputs.vouchers, taxRateBps: inputs.taxRateBps };
}

/** The pure half of `priceSnapshot`, for callers that hold current inputs. */
export function priceSnapshotWith(snapshot: PriceableCart, inputs: PricingInputs, options: CartPricingOptions = {}): PricingResult {
  return priceCart({
    lines: snapshot.lines.map((line) => ({
      lineId: line.id,
      variantId: line.variantId,
      quantity: line.quantity,
      unitPrice: options.unitPrices?.get(line.variantId) ?? line.unitPrice,
      kind: line.kind,
    })),
    vouchers: inputs.vouchers.map((voucher) => ({ code: voucher.code, kind: voucher.kind, value: voucher.value })),
    shippingPrice: snapshot.shippingMethod?.price ?? null,
    taxRateBps: inputs.taxRateBps,
  });
}

function inputsCover(snapshot: PriceableCart): boolean {
  const { country, voucherCodes } = snapshot.pricingInputs;
  return (
    country === (snapshot.shippingAddress?.country ?? null) &&
    voucherCodes.length === snapshot.voucherCodes.length &&
    voucherCodes.every((code, index) => code === snapshot.voucherCodes[index])
  );
}
