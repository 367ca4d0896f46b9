import type { VoucherKind } from '../../../entities';
import type { JsonSql } from '../../sql/json-sql';
import { dateOrNull, intOf, intOrNull, jsonOf, stringOrNull } from '../../sql/row-values';
import type { Row } from '../../sql/sql';
import type { VoucherSnapshot } from '../voucher-store';
import type { SnapshotExtras } from './cart-snapshot.sql';

/**
 * Vouchers read as JSON inside the cart's one statement (the snapshot read
 * and a cart change's look-up by code), and mapped back to plain data.
 */

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
export const vouchersJson = (json: JsonSql, condition: string): string =>
  `(select ${json.array(json.object(VOUCHER_FIELDS))} from vouchers vo where ${condition})`;

/** One voucher as a JSON object (or null), for a probe by code. */
const voucherJson = (json: JsonSql, condition: string): string => `(select ${json.object(VOUCHER_FIELDS)} from vouchers vo where ${condition})`;

/** Vouchers from a JSON array (or one JSON object) built by `vouchersJson` / `voucherJson`. */
export function vouchersFromJson(value: unknown): VoucherSnapshot[] {
  if (value === null || value === undefined) return [];
  const parsed = jsonOf<Row[] | Row>(value);
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

/** The voucher with this code, as an extra column of a cart change's snapshot read (cart-lookups.sql.ts). */
export const voucherLookup = (json: JsonSql, code: string): SnapshotExtras => ({
  columns: [`${voucherJson(json, 'vo.code = ?')} as lookup_voucher`],
  params: [code],
});

export const voucherFound = (row: Row): VoucherSnapshot | null => vouchersFromJson(row.lookup_voucher)[0] ?? null;
