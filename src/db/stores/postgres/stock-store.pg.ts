import { LockMode } from '@mikro-orm/core';
import { Reservation, ReservationStatus } from '../../../entities';
import type { StockShortfall } from '../../../services/shared/outcome';
import { transitionSql } from '../../../services/state/transition';
import { intOf } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import {
  allShort,
  decrementByVariant,
  demandByVariant,
  heldUnitsCtes,
  overCap,
  room,
  StockStoreBase,
  type CappedHold,
  type HoldRefusal,
  type NewReservation,
} from '../shared/stock-store.base';
import type { HeldUnits } from '../stock-store';

/** Namespace of the per-holder advisory locks (two-key form: apart from the migration lock's one-key space). */
const HOLDER_LOCK_SPACE = 0x54474855;

/**
 * A condition that takes the holder's transaction-scoped advisory lock. A
 * client's concurrent startCheckouts on different carts reserve different
 * rows and would not otherwise wait for each other, so both could count the
 * same held units and both pass the cap; with the lock the second counts
 * after the first committed. It rides, uncorrelated, on the statement that
 * locks the stock rows (a one-time filter, evaluated before any row is
 * locked), so every capped hold takes the holder's lock before stock locks
 * and no statement is added.
 */
function holderLockCondition(holderKey: string): { sql: string; params: unknown[] } {
  return { sql: '(select true from pg_advisory_xact_lock(?, hashtext(?)))', params: [HOLDER_LOCK_SPACE, holderKey] };
}

type ReserveAnswerRow = { variant_id: string | null; quantity: number | string | null; free: number | string | null; units: unknown; fits_at: unknown };

/**
 * PostgreSQL: concurrent writers, so stock rows are locked (`for update`, in
 * id order) before anything that depends on them is read, and the work is
 * packed into as few round trips as a statement can carry.
 */
export class PgStockStore extends StockStoreBase {
  protected readonly rowLock = LockMode.PESSIMISTIC_WRITE;

  /**
   * Two statements. First the stock rows' locks and the cart's earlier
   * reservations released (a capped hold takes its holder's lock in it,
   * before the rows). Then the reservations inserted only if every variant
   * has the units free and, for a capped hold, its holder's other units leave
   * room for these, which answers the shortfalls (none when it inserted)
   * and, past the cap, a row of the holder's units. The second statement's
   * snapshot is taken after the lock, so it sees every reservation committed
   * by whoever held the rows (or the holder's lock) before.
   */
  protected async reserveWhereFree(uow: UnitOfWork, cartId: string, rows: NewReservation[], now: Date, cap: CappedHold | null): Promise<HoldRefusal | null> {
    const release = transitionSql(uow.em, Reservation, { cartId }, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
    const holderLock = cap ? holderLockCondition(cap.holderKey) : null;
    await uow.sql.rows(
      `with released as (${release.sql}) select id from stock_levels where variant_id in (?)${holderLock ? ` and ${holderLock.sql}` : ''} order by id for update`,
      [...release.bindings, rows.map((row) => row.variant), ...(holderLock?.params ?? [])],
    );

    const wanted = rows.map(() => '(?::uuid, ?, ?::uuid, ?::uuid, ?::int, ?::timestamptz, ?::timestamptz)').join(', ');
    const held = cap ? heldUnitsCtes(uow, cap, now) : null;
    const answer = await uow.sql.rows<ReserveAnswerRow>(
      'with free as (select s.variant_id, sum(s.on_hand) - coalesce((select sum(r.quantity) from reservations r' +
        ' where r.variant_id = s.variant_id and r.status in (?) and r.expires_at > ?), 0) as free' +
        ' from stock_levels s where s.variant_id in (?) group by s.variant_id),' +
        ` wanted (id, status, cart_id, variant_id, quantity, expires_at, created_at) as (values ${wanted}),` +
        ' short as (select w.variant_id, w.quantity, coalesce(f.free, 0) as free from wanted w left join free f on f.variant_id = w.variant_id' +
        ' where coalesce(f.free, 0) < w.quantity),' +
        (held ? ` ${held.sql},` : '') +
        ' inserted as (insert into reservations (id, status, cart_id, variant_id, quantity, expires_at, created_at, held_by)' +
        ' select w.*, ?::varchar from wanted w where not exists (select 1 from short)' +
        (held ? ' and (select units from held) <= ?::int)' : ')') +
        ' select variant_id, quantity, free, null::bigint as units, null::timestamptz as fits_at from short' +
        (held ? ' union all select null, null, null, units, fits_at from held where units > ?::int' : ''),
      [
        ReservationStatus.ACTIVE,
        uow.sql.time(now),
        rows.map((row) => row.variant),
        ...rows.flatMap((row) => [row.id, row.status, row.cartId, row.variant, row.quantity, uow.sql.time(row.expiresAt), uow.sql.time(row.createdAt)]),
        ...(held?.params ?? []),
        rows[0].heldBy,
        ...(cap ? [room(cap), room(cap)] : []),
      ],
    );
    const refused = cap
      ? overCap(
          cap,
          answer.find((row) => row.variant_id === null),
        )
      : null;
    if (refused) return refused;
    const shortfalls = answer
      .filter((row) => row.variant_id !== null)
      .map((row) => ({ variantId: String(row.variant_id), requested: Number(row.quantity), available: Math.max(0, Number(row.free)) }));
    return shortfalls.length > 0 ? { kind: 'short', shortfalls } : null;
  }

  /**
   * Both halves as one statement (two data-modifying CTEs): each update takes
   * its row locks and re-checks its guard on the newest row version exactly
   * as it would alone, in one round trip.
   */
  async convertHeld(uow: UnitOfWork, held: readonly HeldUnits[], orderId: string): Promise<StockShortfall[]> {
    const demand = demandByVariant(held);
    const move = transitionSql(
      uow.em,
      Reservation,
      held.map((r) => r.id),
      ReservationStatus.ACTIVE,
      ReservationStatus.CONVERTED,
      { orderId },
    );
    const decrement = decrementByVariant(demand);
    const [row] = await uow.sql.rows<{ converted: unknown; taken: unknown }>(
      `with converted as (${move.sql} returning 1), taken as (${decrement.sql} returning 1)` +
        ' select (select count(*) from converted) as converted, (select count(*) from taken) as taken',
      [...move.bindings, ...decrement.params],
    );
    return intOf(row.converted) === held.length && intOf(row.taken) === demand.size ? [] : allShort(demand);
  }
}
