import { RedemptionStatus, ReservationStatus } from '../../../entities';
import type { CheckoutCart } from '../../../services/checkout/checkout-cart';
import type { JsonSql } from '../../sql/json-sql';
import { dateOf, intOf, jsonOf, stringOrNull } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import type { CheckoutStore, IdempotencyKey } from '../checkout-store';
import { readSnapshotRow } from './cart-snapshot.sql';

/** A common table expression the checkout's read starts with (the PostgreSQL row lock), with its parameters. */
export interface ReadPrelude {
  sql: string;
  params: unknown[];
}

/** The customer key of redemptions (voucherCustomerKey), computed in SQL from the cart row. */
const CUSTOMER_KEY_SQL = "case when c.customer_id is not null then cast(c.customer_id as text) else 'email:' || lower(trim(c.email)) end";

/** The idempotency record of the key (aliased `i`), the cart's reservations (`r`) and the buyer's live slots (`vr`), as JSON. */
const EARLIER_FIELDS = [
  ['status', 'i.status'],
  ['resultId', 'i.result_id'],
] as const;
const RESERVATION_FIELDS = [
  ['id', 'r.id'],
  ['variantId', 'r.variant_id'],
  ['quantity', 'r.quantity'],
  ['expiresAt', 'r.expires_at'],
] as const;
const SLOT_FIELDS = [
  ['voucherId', 'vr.voucher_id'],
  ['slot', 'vr.slot'],
] as const;

/** The checkout's statements, alike on both dialects but for how the cart's row is held. */
export abstract class CheckoutStoreBase implements CheckoutStore {
  constructor(private readonly json: JsonSql) {}

  abstract readCart(uow: UnitOfWork, cartId: string, idempotency: IdempotencyKey, options: { lock: boolean }): Promise<CheckoutCart | 'busy' | null>;

  async isGuestCart(uow: UnitOfWork, cartId: string): Promise<boolean> {
    const [cart] = await uow.sql.rows<{ customer_id: unknown }>('select customer_id from carts where id = ?', [cartId]);
    return cart !== undefined && cart.customer_id == null;
  }

  /**
   * The one statement: the cart snapshot with the checkout's columns added,
   * after `prelude` when there is one (whose row version it answers as
   * `lockedVersion`; null without a prelude).
   */
  protected async readOnce(
    uow: UnitOfWork,
    cartId: string,
    idempotency: IdempotencyKey,
    prelude: ReadPrelude | null,
  ): Promise<(CheckoutCart & { lockedVersion: number | null }) | null> {
    const j = this.json;
    const columns = [
      `(select ${j.object(EARLIER_FIELDS)} from idempotency_records i where i.scope = ? and i.key = ?) as earlier`,
      `(select ${j.array(j.object(RESERVATION_FIELDS))} from reservations r where r.cart_id = c.id and r.status in (?)) as own_reservations`,
      `(select ${j.array(j.object(SLOT_FIELDS))} from voucher_redemptions vr where vr.customer_key = ${CUSTOMER_KEY_SQL} and vr.status <> ?` +
        ` and vr.voucher_id in (select vo2.id from vouchers vo2 where vo2.code in (${j.elements('c.voucher_codes')}))) as live_slots`,
      '(select count(*) from stock_levels s where s.variant_id in (select l2.variant_id from cart_lines l2 where l2.cart_id = c.id)) as stock_rows',
      ...(prelude ? ['(select lk.version from locked lk) as locked_version'] : []),
    ];
    const params = [idempotency.scope, idempotency.key, ReservationStatus.ACTIVE, RedemptionStatus.RELEASED];
    const read = await readSnapshotRow(uow.sql, j, cartId, { columns, params, ...(prelude ? { prelude } : {}) });
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
}
