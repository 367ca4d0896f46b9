import type { Database } from '../../db/database';
import type { EntityManager } from '../../db/orm';
import { readSnapshotRow } from '../../db/stores/shared/cart-snapshot.sql';
import { RedemptionStatus, ReservationStatus } from '../../entities';
import { cartDialect, dateOf, intOf, jsonOf, stringOrNull } from '../shared/sql-rows';
import type { CartSnapshot } from '../cart/cart-snapshot';

export interface OwnReservation {
  id: string;
  variantId: string;
  quantity: number;
  expiresAt: Date;
}

/**
 * Everything confirmCheckout reads, in the one statement that reads the cart:
 * the cart snapshot (lines with catalog facts, shipping method, tax rate,
 * vouchers) plus the idempotency record of this key, the cart's own ACTIVE
 * reservations (startCheckout's), the buyer's live voucher slots and how many
 * stock rows the cart's variants have.
 */
export interface CheckoutCart {
  snapshot: CartSnapshot;
  earlier: { status: string; resultId: string | null } | null;
  ownReservations: OwnReservation[];
  /** Slots 1..n this buyer holds live (HELD or CONSUMED) per voucher id of the cart. */
  liveSlots: Map<string, Set<number>>;
  /** Stock rows of the cart's variants: one per variant means a single warehouse each. */
  stockRows: number;
}

/** The customer key of redemptions (voucherCustomerKey), computed in SQL from the cart row. */
const CUSTOMER_KEY_SQL = "case when c.customer_id is not null then cast(c.customer_id as text) else 'email:' || lower(trim(c.email)) end";

/**
 * On PostgreSQL the read may take the cart's row lock itself (`lockNowait`),
 * in a common table expression of the same statement: `locked as (select …
 * for update nowait)`. A lock taken inside a statement does not refresh that
 * statement's snapshot, so the lock's row (the newest committed version) is
 * compared with the snapshot's: when a change committed between the two, the
 * versions differ and the cart is read again, after the lock, as a statement
 * of its own would have. A busy row fails the statement at once (55P03).
 */
export async function readCheckoutCart(
  db: Database,
  tx: EntityManager,
  cartId: string,
  idempotency: { scope: string; key: string },
  options: { lockNowait?: boolean } = {},
): Promise<CheckoutCart | null> {
  if (!options.lockNowait) return readOnce(db, tx, cartId, idempotency, null);
  const prelude = { sql: 'locked as (select id, version from carts where id = ? for update nowait)', params: [cartId] };
  const read = await readOnce(db, tx, cartId, idempotency, prelude);
  if (read && read.lockedVersion !== read.snapshot.version) return readOnce(db, tx, cartId, idempotency, null);
  return read;
}

async function readOnce(
  db: Database,
  tx: EntityManager,
  cartId: string,
  idempotency: { scope: string; key: string },
  prelude: { sql: string; params: unknown[] } | null,
): Promise<(CheckoutCart & { lockedVersion: number | null }) | null> {
  const d = cartDialect(tx);
  const columns = [
    `(select ${d.object([
      ['status', 'i.status'],
      ['resultId', 'i.result_id'],
    ])} from idempotency_records i where i.scope = ? and i.key = ?) as earlier`,
    `(select ${d.array(
      d.object([
        ['id', 'r.id'],
        ['variantId', 'r.variant_id'],
        ['quantity', 'r.quantity'],
        ['expiresAt', 'r.expires_at'],
      ]),
    )}` + ' from reservations r where r.cart_id = c.id and r.status in (?)) as own_reservations',
    `(select ${d.array(
      d.object([
        ['voucherId', 'vr.voucher_id'],
        ['slot', 'vr.slot'],
      ]),
    )} from voucher_redemptions vr` +
      ` where vr.customer_key = ${CUSTOMER_KEY_SQL} and vr.status <> ?` +
      ` and vr.voucher_id in (select vo2.id from vouchers vo2 where vo2.code in (${d.elements('c.voucher_codes')}))) as live_slots`,
    '(select count(*) from stock_levels s where s.variant_id in (select l2.variant_id from cart_lines l2 where l2.cart_id = c.id)) as stock_rows',
    ...(prelude ? ['(select lk.version from locked lk) as locked_version'] : []),
  ];
  const params = [idempotency.scope, idempotency.key, ReservationStatus.ACTIVE, RedemptionStatus.RELEASED];
  const read = await readSnapshotRow(db.sql(tx), d, cartId, { columns, params, ...(prelude ? { prelude } : {}) });
  if (!read) return null;
  const { row, snapshot } = read;
  const earlier = row.earlier == null ? null : jsonOf<{ status: string; resultId: unknown }>(row.earlier);
  const liveSlots = new Map<string, Set<number>>();
  for (const held of jsonOf<{ voucherId: string; slot: unknown }[]>(row.live_slots ?? '[]')) {
    const slots = liveSlots.get(String(held.voucherId)) ?? new Set<number>();
    liveSlots.set(String(held.voucherId), slots.add(intOf(held.slot)));
  }
  return {
    snapshot,
    earlier: earlier && { status: String(earlier.status), resultId: stringOrNull(earlier.resultId) },
    ownReservations: jsonOf<Record<string, unknown>[]>(row.own_reservations ?? '[]').map((r) => ({
      id: String(r.id),
      variantId: String(r.variantId),
      quantity: intOf(r.quantity),
      expiresAt: dateOf(r.expiresAt),
    })),
    liveSlots,
    stockRows: intOf(row.stock_rows),
    lockedVersion: row.locked_version == null ? null : intOf(row.locked_version),
  };
}
