import { unitsByVariant } from '../inventory/checkout-stock';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';

/**
 * MAX_RESERVED_UNITS_PER_LINE: one cart may hold, and so reserve, at
 * most `cap` units of a variant, so that a single anonymous cart cannot take a
 * variant's whole stock out of sale. A cart has one line per variant, so the
 * cap is per line. Cart changes refuse a quantity above it; startCheckout and
 * confirmCheckout refuse to reserve a line above it, which happens when the cap
 * was lowered after the line was added.
 */
export const overReservationCap = (cap: number): Failure =>
  userFailure(ErrorCode.VALIDATION_FAILED, `A cart can hold at most ${cap} units of one item; lower the quantity.`, 'quantity');

/** The refusal for the first variant whose units exceed the cap, or null when every line fits. */
export function reservationCapFailure(lines: readonly { variantId: string; quantity: number }[], cap: number): Failure | null {
  for (const units of unitsByVariant(lines).values()) if (units > cap) return overReservationCap(cap);
  return null;
}
