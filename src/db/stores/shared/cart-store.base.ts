import { CartStatus, ReservationStatus } from '../../../entities';
import type { CartLineSnapshot, PricingInputs } from '../../../services/cart/cart-snapshot';
import type { JsonSql } from '../../sql/json-sql';
import { intOrNull } from '../../sql/row-values';
import type { Sql } from '../../sql/sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { CartClaim, CartFields, CartLookups, CartRead, CartStore, LineWrite, EmptyCart, VersionClaim } from '../cart-store';
import type { DueCheck } from '../due-check';
import { lookupAnswers, lookupColumns } from './cart-lookups.sql';
import { inCodeOrder, readSnapshotRow } from './cart-snapshot.sql';
import { vouchersFromJson, vouchersJson } from './voucher-json';

/** A statement's text with its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Each cart field's column and its value as bound. */
const FIELD_COLUMNS: readonly { field: keyof CartFields; column: string; value: (fields: CartFields, sql: Sql) => unknown }[] = [
  { field: 'shippingMethodId', column: 'shipping_method_id', value: (fields) => fields.shippingMethodId },
  { field: 'shippingAddress', column: 'shipping_address', value: (fields) => JSON.stringify(fields.shippingAddress) },
  { field: 'voucherCodes', column: 'voucher_codes', value: (fields) => JSON.stringify(fields.voucherCodes) },
  { field: 'customerId', column: 'customer_id', value: (fields) => fields.customerId },
  { field: 'nextLinePosition', column: 'next_line_position', value: (fields) => fields.nextLinePosition },
  { field: 'pricesValidatedAt', column: 'prices_validated_at', value: (fields, sql) => sql.time(fields.pricesValidatedAt!) },
];

/** `column = ?` for each field set, in one fixed order (the same fields are always the same statement). */
function fieldAssignments(sql: Sql, fields: CartFields): Statement {
  const set = FIELD_COLUMNS.filter(({ field }) => fields[field] !== undefined);
  return { sql: set.map(({ column }) => `${column} = ?`).join(', '), params: set.map(({ value }) => value(fields, sql)) };
}

/** `update carts set …` of a claim: the version one up, updated_at, the reserved position and the fields (no where clause). */
function claimUpdate(sql: Sql, claim: CartClaim): Statement {
  const fields = fieldAssignments(sql, claim.fields ?? {});
  const sets = [
    'version = version + 1',
    'updated_at = ?',
    ...(claim.reservesPosition ? ['next_line_position = next_line_position + 1'] : []),
    ...(fields.sql ? [fields.sql] : []),
  ];
  return { sql: `update carts set ${sets.join(', ')}`, params: [sql.time(claim.now), ...fields.params] };
}

/**
 * The statement of a line write. With `guard` (the name of a common table
 * expression of the same statement) it applies only when that expression
 * returned a row: the form a guarded claim composes.
 */
export function lineWriteStatement(write: LineWrite, guard?: string): Statement {
  const onlyIfClaimed = guard ? ` and exists (select 1 from ${guard})` : '';
  switch (write.kind) {
    case 'insert': {
      const { line } = write;
      return {
        sql: `insert into cart_lines (id, cart_id, variant_id, quantity, unit_price, position) select ?, ?, ?, ?, ?, ?${guard ? ` from ${guard}` : ''}`,
        params: [line.id, write.cartId, line.variantId, line.quantity, line.unitPrice, line.position],
      };
    }
    case 'update':
      return {
        sql: `update cart_lines set quantity = ?, unit_price = ? where id = ?${onlyIfClaimed}`,
        params: [write.line.quantity, write.line.unitPrice, write.line.id],
      };
    case 'delete':
      return { sql: `delete from cart_lines where id = ?${onlyIfClaimed}`, params: [write.lineId] };
  }
}

/** A batch size written into a statement's text, so it must be a plain positive integer. */
export function batchLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a batch limit must be a positive integer, got ${limit}`);
  return limit;
}

/** The oldest `limit` abandoned carts (OPEN, no line, untouched since the `?` cutoff), and the condition the delete re-checks on each. */
export function abandonedCarts(limit: number): { pick: string; recheck: string; params: (cutoff: unknown) => unknown[] } {
  return {
    pick:
      'select c.id from carts c where c.status in (?) and c.updated_at < ?' +
      ` and not exists (select 1 from cart_lines l where l.cart_id = c.id) order by c.updated_at limit ${batchLimit(limit)}`,
    recheck: 'status in (?) and updated_at < ?',
    params: (cutoff) => [CartStatus.OPEN, cutoff, CartStatus.OPEN, cutoff],
  };
}

/**
 * The cart statements both dialects run as they are. The dialect's own class
 * adds the row lock, the optimistic claim with line writes and the
 * abandoned-cart delete, and names its JSON spellings.
 */
export abstract class CartStoreBase implements CartStore {
  constructor(protected readonly json: JsonSql) {}

  abstract lock(uow: UnitOfWork, cartId: string): Promise<boolean>;
  abstract deleteAbandoned(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number>;
  /** The optimistic claim (`claim`, guarded on version and status) and, only if it applied, the line writes. */
  protected abstract claimWithLines(uow: UnitOfWork, claim: Statement, lines: readonly LineWrite[]): Promise<boolean>;

  async create(uow: UnitOfWork, cart: EmptyCart): Promise<void> {
    const created = uow.sql.time(cart.createdAt);
    await uow.sql.write(
      "insert into carts (id, status, currency, email, customer_id, voucher_codes, version, next_line_position, created_at, updated_at) values (?, ?, ?, ?, ?, '[]', 1, 0, ?, ?)",
      [cart.id, cart.status, cart.currency, cart.email, cart.customerId, created, created],
    );
  }

  async read(uow: UnitOfWork, cartId: string, lookups: CartLookups = {}): Promise<CartRead | null> {
    const read = await readSnapshotRow(uow.sql, this.json, cartId, lookupColumns(this.json, uow.sql, lookups));
    return read && { snapshot: read.snapshot, found: lookupAnswers(read.row, lookups) };
  }

  async pricingInputs(uow: UnitOfWork, country: string | null, voucherCodes: readonly string[]): Promise<PricingInputs> {
    const codes = [...voucherCodes];
    if (country === null && codes.length === 0) return { country, voucherCodes: codes, taxRateBps: 0, vouchers: [] };
    const vouchers = codes.length > 0 ? vouchersJson(this.json, 'vo.code in (?)') : 'null';
    const [row] = await uow.sql.rows(`select (select rate_bps from tax_rates where country = ?) as tax_rate_bps, ${vouchers} as vouchers`, [
      country,
      ...(codes.length > 0 ? [codes] : []),
    ]);
    return { country, voucherCodes: codes, taxRateBps: intOrNull(row?.tax_rate_bps) ?? 0, vouchers: inCodeOrder(codes, vouchersFromJson(row?.vouchers)) };
  }

  async claim(uow: UnitOfWork, cartId: string, claim: CartClaim): Promise<boolean> {
    const update = claimUpdate(uow.sql, claim);
    return (await uow.sql.write(`${update.sql} where id = ?`, [...update.params, cartId])) === 1;
  }

  async claimIfUnchanged(uow: UnitOfWork, claim: VersionClaim, lines: readonly LineWrite[]): Promise<boolean> {
    const update = claimUpdate(uow.sql, claim);
    const guarded = {
      sql: `${update.sql} where id = ? and version = ? and status in (?)`,
      params: [...update.params, claim.cartId, claim.version, CartStatus.OPEN],
    };
    if (lines.length === 0) return (await uow.sql.write(guarded.sql, guarded.params)) === 1;
    return this.claimWithLines(uow, guarded, lines);
  }

  async writeLine(uow: UnitOfWork, write: LineWrite): Promise<void> {
    const { sql, params } = lineWriteStatement(write);
    await uow.sql.write(sql, params);
  }

  async setLinePrices(uow: UnitOfWork, lines: readonly Pick<CartLineSnapshot, 'id' | 'unitPrice'>[]): Promise<void> {
    if (lines.length === 0) return;
    // A prepared CASE cannot tell its branches' type from bare parameters: the cast says it.
    const cases = lines.map(() => 'when ? then cast(? as bigint)').join(' ');
    const params = [...lines.flatMap((line) => [line.id, line.unitPrice]), lines.map((line) => line.id)];
    await uow.sql.write(`update cart_lines set unit_price = case id ${cases} end where id in (?)`, params);
  }

  async update(uow: UnitOfWork, cartId: string, fields: CartFields): Promise<void> {
    const set = fieldAssignments(uow.sql, fields);
    if (!set.sql) return;
    await uow.sql.write(`update carts set ${set.sql} where id = ?`, [...set.params, cartId]);
  }

  async claimOpenCartOf(uow: UnitOfWork, customerId: string, currency: string, now: Date): Promise<string | null> {
    const [candidate] = await uow.sql.rows<{ id: string }>(
      'select id from carts where customer_id = ? and status = ? and currency = ? order by updated_at desc, id limit 1',
      [customerId, CartStatus.OPEN, currency],
    );
    if (!candidate) return null;
    const id = String(candidate.id);
    // The claim re-checks owner and status: a cart checked out since the look-up is not claimed.
    const claimed = await uow.sql.write('update carts set version = version + 1, updated_at = ? where id = ? and customer_id = ? and status = ?', [
      uow.sql.time(now),
      id,
      customerId,
      CartStatus.OPEN,
    ]);
    return claimed === 1 ? id : null;
  }

  deleteReleasedReservations(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number> {
    return uow.sql.write(
      `delete from reservations where id in (select id from reservations where status = ? and expires_at < ? order by expires_at limit ${batchLimit(limit)})`,
      [ReservationStatus.RELEASED, uow.sql.time(cutoff)],
    );
  }

  cleanupDue(cutoff: Date): DueCheck {
    return {
      sql: 'exists (select 1 from carts where status = ? and updated_at < ?) or exists (select 1 from reservations where status = ? and expires_at < ?)',
      params: [CartStatus.OPEN, cutoff, ReservationStatus.RELEASED, cutoff],
    };
  }
}
