import type { VoucherKind } from '../../entities';
import { dateOrNull, intOf, intOrNull, jsonOf, stringOrNull, type CartDialect } from '../shared/sql-rows';
import type { SnapshotExtras } from '../cart/cart-snapshot';

/**
 * Vouchers read as plain JSON inside the cart's one statement (the snapshot
 * read and a mutation's look-up by code), and mapped back to plain data.
 */

/** The voucher facts pricing and eligibility read. */
export interface VoucherSnapshot {
  id: string;
  code: string;
  kind: VoucherKind;
  value: number;
  currency: string | null;
  maxRedemptions: number | null;
  perCustomerLimit: number | null;
  redemptionCount: number;
  startsAt: Date | null;
  endsAt: Date | null;
  minSubtotal: number | null;
}

const VOUCHER_FIELDS = [
  ['id', 'vo.id'],
  ['code', 'vo.code'],
  ['kind', 'vo.kind'],
  ['value', 'vo.value'],
  ['currency', 'vo.currency'],
  ['maxRedemptions', 'vo.max_redemptions'],
  ['perCustomerLimit', 'vo.per_customer_limit'],
  ['redemptionCount', 'vo.redemption_count'],
  ['startsAt', 'vo.starts_at'],
  ['endsAt', 'vo.ends_at'],
  ['minSubtotal', 'vo.min_subtotal'],
] as const;

/** JSON of the vouchers (aliased `vo`) matching `condition`; shared by the snapshot read and the probes. */
export const vouchersJson = (d: CartDialect, condition: string): string => `(select ${d.array(d.object(VOUCHER_FIELDS))} from vouchers vo where ${condition})`;

/** One voucher as a JSON object (or null), for a probe by code. */
const voucherJson = (d: CartDialect, condition: string): string => `(select ${d.object(VOUCHER_FIELDS)} from vouchers vo where ${condition})`;

/** Vouchers from a JSON array (or one JSON object) built by `vouchersJson` / `voucherJson`. */
export function vouchersFromJson(value: unknown): VoucherSnapshot[] {
  if (value === null || value === undefined) return [];
  const parsed = jsonOf<Record<string, unknown>[] | Record<string, unknown>>(value);
  return (Array.isArray(parsed) ? parsed : [parsed]).map((json) => ({
    id: String(json.id),
    code: String(json.code),
    kind: String(json.kind) as VoucherKind,
    value: intOf(json.value),
    currency: stringOrNull(json.currency),
    maxRedemptions: intOrNull(json.maxRedemptions),
    perCustomerLimit: intOrNull(json.perCustomerLimit),
    redemptionCount: intOf(json.redemptionCount),
    startsAt: dateOrNull(json.startsAt),
    endsAt: dateOrNull(json.endsAt),
    minSubtotal: intOrNull(json.minSubtotal),
  }));
}

/** The voucher with this code, as an extra column of a cart mutation's snapshot read (cart-lookups.ts). */
export const voucherLookup = (d: CartDialect, code: string): SnapshotExtras => ({
  columns: [`${voucherJson(d, 'vo.code = ?')} as lookup_voucher`],
  params: [code],
});

export const voucherFound = (row: Record<string, unknown>): VoucherSnapshot | null => vouchersFromJson(row.lookup_voucher)[0] ?? null;
