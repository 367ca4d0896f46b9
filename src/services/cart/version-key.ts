import { createHash } from 'node:crypto';
import { VariantKind, type AddressValue, type Cart } from '../../entities';
import { normalizeAddress } from './shipping-address';

/** The part of a cart the version key covers, as plain data. */
export interface CartKeyState {
  lines: readonly { variantId: string; quantity: number; unitPrice: number; kind?: VariantKind }[];
  voucherCodes: readonly string[];
  shippingMethodId: string | null;
  address: AddressValue | null;
  currency: string;
  customerId: string | null;
  email: string | null;
}

/**
 * The cart's idempotency key for checkout (invariant 6): a SHA-256 over
 * the cart's own state only — lines with the unit prices stored on them,
 * voucher codes, shipping method, address, currency and buyer. The version
 * column and timestamps stay out on purpose: a catalog price change alone must
 * not move the key, so confirm can answer PriceChangedError instead of
 * CART_VERSION_MISMATCH. Expects the cart's lines loaded.
 */
export function cartVersionKey(cart: Cart): string {
  return versionKeyOf({
    lines: cart.lines.getItems().map((line) => ({ variantId: line.variant.id, quantity: line.quantity, unitPrice: line.unitPrice, kind: line.variant.kind })),
    voucherCodes: cart.voucherCodes,
    shippingMethodId: cart.shippingMethod?.id ?? null,
    address: cart.shippingAddress,
    currency: cart.currency,
    customerId: cart.customer?.id ?? null,
    email: cart.email,
  });
}

/** Canonical JSON (fixed key order, sorted lists, tuples) hashed; equal states give equal keys. */
export function versionKeyOf(state: CartKeyState): string {
  const canonical = JSON.stringify([
    ['lines', [...state.lines].sort((a, b) => compareCodeUnits(a.variantId, b.variantId)).map(lineTuple)],
    ['vouchers', [...state.voucherCodes].sort(compareCodeUnits)],
    ['shippingMethod', state.shippingMethodId],
    ['address', addressTuple(state.address)],
    ['currency', state.currency],
    ['buyer', buyerIdentity(state)],
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A DIGITAL line carries its kind; a physical one hashes exactly as before digital goods existed. */
function lineTuple(line: CartKeyState['lines'][number]): (string | number)[] {
  const tuple: (string | number)[] = [line.variantId, line.quantity, line.unitPrice];
  return line.kind === VariantKind.DIGITAL ? [...tuple, VariantKind.DIGITAL] : tuple;
}

function addressTuple(address: AddressValue | null): string[] | null {
  if (!address) return null;
  const normalized = normalizeAddress(address);
  return [normalized.name, normalized.line1, normalized.city, normalized.postalCode, normalized.country];
}

/** A customer's cart is keyed by the customer; a guest cart by its email, in any letter case. */
function buyerIdentity(state: CartKeyState): string | null {
  if (state.customerId) return `customer:${state.customerId}`;
  return state.email ? `email:${state.email.trim().toLowerCase()}` : null;
}

/** Code-unit order, not locale order: every server sorts alike. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
