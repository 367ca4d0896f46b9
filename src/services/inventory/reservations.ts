import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Reservation, ReservationStatus, StockLevel, Warehouse } from '../../entities';
import { newId } from '../../entities/columns';
import { logger } from '../shared/logger';
import { insufficientStock, abortWith, type StockShortfall } from '../shared/outcome';
import { writeLock } from '../shared/transactions';
import { sqlDate } from '../../db/sql-values';
import { transition, transitionSql } from '../state/transition';
import { isPostgres } from '../../db/orm';
import { preparedRows } from '../../db/prepared-statements';
import { guardedUpdate } from '../state/guarded-sql';
import { availableByVariant } from './availability';
import type { HeldUnits } from './checkout-stock';
import { heldUnitsCtes, holderLockCondition, refuseOverCap, room, type CappedHold, type StockHolder } from './held-units';

export interface LineDemand {
  variantId: string;
  quantity: number;
}

/** Units per variant, summed, in a stable (id) order so every locker takes rows alike. */
function demandByVariant(lines: readonly LineDemand[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of [...lines].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0))) {
    totals.set(line.variantId, (totals.get(line.variantId) ?? 0) + line.quantity);
  }
  return totals;
}

/**
 * Locks the stock rows of these variants for the rest of the transaction, in id
 * order so two reservers never deadlock. Every binding availability check
 * happens after this lock (invariant 5).
 */
async function lockStock(tx: EntityManager, variantIds: readonly string[]): Promise<StockLevel[]> {
  if (variantIds.length === 0) return [];
  const locked = writeLock(tx).lockMode !== undefined;
  return tx.find(StockLevel, { variant: { $in: [...variantIds] } }, { orderBy: { id: 'asc' }, ...(locked ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) });
}

/**
 * Orders stock rows default warehouse first: where units are taken from and put
 * back to. The warehouse lookup is only needed when some variant is stocked in
 * more than one warehouse (with one row each there is nothing to order).
 */
async function defaultFirstSorter(
  tx: EntityManager,
  levels: readonly StockLevel[],
): Promise<(levels: readonly StockLevel[], variantId: string) => StockLevel[]> {
  const rowsOf = (all: readonly StockLevel[], variantId: string) => all.filter((l) => l.variant.id === variantId);
  const variantIds = new Set(levels.map((l) => l.variant.id));
  if (variantIds.size === levels.length) return rowsOf;
  const defaults = new Set((await tx.find(Warehouse, { isDefault: true }, { fields: ['id'] })).map((w) => w.id));
  return (all, variantId) => rowsOf(all, variantId).sort((a, b) => Number(defaults.has(b.warehouse.id)) - Number(defaults.has(a.warehouse.id)));
}

/** This cart's own live reservations per variant (they are about to be replaced, so they count as free). */
async function ownLiveUnits(tx: EntityManager, cartId: string, now: Date): Promise<Map<string, number>> {
  const own = await tx.find(Reservation, { cartId, status: ReservationStatus.ACTIVE, expiresAt: { $gt: now } }, { fields: ['variant', 'quantity'] });
  const units = new Map<string, number>();
  for (const r of own) units.set(r.variant.id, (units.get(r.variant.id) ?? 0) + r.quantity);
  return units;
}

async function shortfallsFor(tx: EntityManager, demand: Map<string, number>, cartId: string, now: Date): Promise<StockShortfall[]> {
  const ids = [...demand.keys()];
  const available = await availableByVariant(tx, ids, now);
  const own = await ownLiveUnits(tx, cartId, now);
  return shortOf(demand, (variantId) => (available.get(variantId) ?? 0) + (own.get(variantId) ?? 0));
}

function shortOf(demand: Map<string, number>, free: (variantId: string) => number): StockShortfall[] {
  const shortfalls: StockShortfall[] = [];
  for (const [variantId, requested] of demand) {
    const available = free(variantId);
    if (available < requested) shortfalls.push({ variantId, requested, available });
  }
  return shortfalls;
}

/** What every variant can promise in free units (unexpired ACTIVE reservations taken off); with a cap, the holder's units (held-units.ts). */
interface FreeAndHeld {
  free: Map<string, number>;
  held?: { units: unknown; fits_at: unknown };
}

/**
 * libSQL, in one statement: units each variant can promise right now (on hand
 * over every warehouse minus the ACTIVE, unexpired reservations) and, for a
 * capped hold, the units its holder already holds, in a row of their own.
 * One writer at a time: nobody reserves between this read and the insert.
 */
async function freeUnits(tx: EntityManager, variantIds: readonly string[], now: Date, cap: CappedHold | null): Promise<FreeAndHeld> {
  const held = cap ? heldUnitsCtes(tx, cap, now) : null;
  const rows = await tx.execute<{ variant_id: string | null; free: number | string | null; units: unknown; fits_at: unknown }[]>(
    (held ? `with ${held.sql} ` : '') +
      'select s.variant_id, sum(s.on_hand) - coalesce((select sum(r.quantity) from reservations r' +
      ' where r.variant_id = s.variant_id and r.status in (?) and r.expires_at > ?), 0) as free, null as units, null as fits_at' +
      ' from stock_levels s where s.variant_id in (?) group by s.variant_id' +
      (held ? ' union all select null, null, units, fits_at from held' : ''),
    [...(held?.params ?? []), ReservationStatus.ACTIVE, sqlDate(tx, now), [...variantIds]],
    'all',
  );
  const stock = rows.filter((row) => row.variant_id !== null);
  return { free: new Map(stock.map((row) => [String(row.variant_id), Number(row.free)])), held: rows.find((row) => row.variant_id === null) };
}

/**
 * PostgreSQL: the stock rows' locks, in id order so two reservers never
 * deadlock, and the cart's earlier reservations released, in one statement
 * (libSQL has one writer and needs no lock). A capped hold takes its holder's
 * advisory lock in the same statement, before the rows (holderLockCondition).
 */
async function lockStockAndRelease(tx: EntityManager, cartId: string, variantIds: readonly string[], cap: CappedHold | null): Promise<void> {
  const release = transitionSql(tx, Reservation, { cartId }, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
  const holderLock = cap ? holderLockCondition(cap.holderKey) : null;
  await preparedRows(
    tx,
    `with released as (${release.sql}) select id from stock_levels where variant_id in (?)${holderLock ? ` and ${holderLock.sql}` : ''} order by id for update`,
    [...release.bindings, [...variantIds], ...(holderLock?.params ?? [])],
  );
}

type ReservationRow = {
  id: string;
  status: string;
  cartId: string;
  variant: string;
  quantity: number;
  expiresAt: Date;
  createdAt: Date;
  heldBy: string | null;
};

/**
 * PostgreSQL, after the lock: the reservations inserted only if every variant
 * has the units free and, for a capped hold, its holder's other units leave
 * room for these, in one statement, which answers the shortfalls (none when
 * it inserted) and, past the cap, a row of the holder's units. Its snapshot is
 * taken after the lock statement, so it sees every reservation committed by
 * whoever held the rows (or the holder's lock) before us.
 */
async function insertWhereFree(tx: EntityManager, rows: readonly ReservationRow[], now: Date, cap: CappedHold | null): Promise<StockShortfall[]> {
  const wanted = rows.map(() => '(?::uuid, ?, ?::uuid, ?::uuid, ?::int, ?::timestamptz, ?::timestamptz)').join(', ');
  const held = cap ? heldUnitsCtes(tx, cap, now) : null;
  const answer = await preparedRows<{
    variant_id: string | null;
    quantity: number | string | null;
    free: number | string | null;
    units: unknown;
    fits_at: unknown;
  }>(
    tx,
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
      sqlDate(tx, now),
      rows.map((row) => row.variant),
      ...rows.flatMap((row) => [row.id, row.status, row.cartId, row.variant, row.quantity, sqlDate(tx, row.expiresAt), sqlDate(tx, row.createdAt)]),
      ...(held?.params ?? []),
      rows[0]?.heldBy ?? null,
      ...(cap ? [room(cap), room(cap)] : []),
    ],
  );
  if (cap)
    refuseOverCap(
      cap,
      answer.find((row) => row.variant_id === null),
      now,
    );
  return answer
    .filter((row) => row.variant_id !== null)
    .map((row) => ({ variantId: String(row.variant_id), requested: Number(row.quantity), available: Math.max(0, Number(row.free)) }));
}

/**
 * Reserves every line of a cart or none (aborting with InsufficientStock and
 * the shortfalls), whatever the number of lines: the stock rows locked, the
 * cart's earlier reservations released (a refresh replaces, never adds), what
 * is free read after the lock, one multi-row insert. PostgreSQL does it in two
 * statements (lock with release, insert where free); libSQL, one writer, in
 * three. The rollback of an abort gives the earlier reservations back.
 *
 * A `holder` (startCheckout's client) is written on the reservations; with a
 * cap, its units in live reservations of its other carts plus these must stay
 * within the cap, counted in those same statements, or HeldUnitsCapReached is
 * thrown (held-units.ts) and nothing is reserved.
 */
export async function reserveCartLines(
  tx: EntityManager,
  cartId: string,
  lines: readonly LineDemand[],
  now: Date,
  expiresAt: Date,
  holder: Pick<StockHolder, 'key' | 'maxUnits'> | null = null,
): Promise<{ reservationIds: string[]; expiresAt: Date; held: HeldUnits[] }> {
  const demand = demandByVariant(lines);
  const rows = [...demand].map(([variantId, quantity]) => ({
    id: newId(),
    status: ReservationStatus.ACTIVE,
    cartId,
    variant: variantId,
    quantity,
    expiresAt,
    createdAt: now,
    heldBy: holder?.key ?? null,
  }));
  const wantedUnits = rows.reduce((units, row) => units + row.quantity, 0);
  const cap = holder && holder.maxUnits !== null ? { holderKey: holder.key, maxUnits: holder.maxUnits, wantedUnits } : null;
  if (demand.size === 0) {
    await releaseCartReservations(tx, cartId);
  } else if (isPostgres(tx)) {
    await lockStockAndRelease(tx, cartId, [...demand.keys()], cap);
    const shortfalls = await insertWhereFree(tx, rows, now, cap);
    if (shortfalls.length > 0) abortWith(insufficientStock(shortfalls));
  } else {
    await releaseCartReservations(tx, cartId);
    const { free, held } = await freeUnits(tx, [...demand.keys()], now, cap);
    if (cap) refuseOverCap(cap, held, now);
    const shortfalls = shortOf(demand, (variantId) => Math.max(0, free.get(variantId) ?? 0));
    if (shortfalls.length > 0) abortWith(insufficientStock(shortfalls));
    await tx.insertMany(Reservation, rows);
  }
  const held = rows.map((row) => ({ id: row.id, variantId: row.variant, quantity: row.quantity, expiresAt }));
  return { reservationIds: rows.map((row) => row.id), expiresAt, held };
}

export function releaseReservations(tx: EntityManager, reservationIds: readonly string[]): Promise<number> {
  return transition(tx, Reservation, reservationIds, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
}

export function releaseCartReservations(tx: EntityManager, cartId: string): Promise<number> {
  return transition(tx, Reservation, { cartId }, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
}

/**
 * Turns an order's reservations into stock decrements: reservations CONVERTED,
 * on-hand units taken from the warehouses (default first) with a guarded update
 * that can never go below zero. If a reservation has lapsed meanwhile, the units
 * are re-checked under the lock and the conversion fails closed.
 */
export async function convertReservations(tx: EntityManager, cartId: string, reservationIds: readonly string[], orderId: string, now: Date): Promise<void> {
  const reservations = await tx.find(Reservation, { id: { $in: [...reservationIds] } });
  const demand = demandByVariant(reservations.map((r) => ({ variantId: r.variant.id, quantity: r.quantity })));
  const levels = await lockStock(tx, [...demand.keys()]);
  const lost = () => abortWith(insufficientStock([...demand].map(([variantId, requested]) => ({ variantId, requested, available: 0 }))));
  if (reservations.length !== reservationIds.length || reservations.some((r) => r.status !== ReservationStatus.ACTIVE)) lost();
  if (reservations.some((r) => r.expiresAt <= now)) {
    // A lapsed hold no longer counts anywhere: the units must still be free right now.
    const shortfalls = await shortfallsFor(tx, demand, cartId, now);
    if (shortfalls.length > 0) abortWith(insufficientStock(shortfalls));
  }
  const moved = await transition(tx, Reservation, reservationIds, ReservationStatus.ACTIVE, ReservationStatus.CONVERTED, { orderId });
  if (moved !== reservationIds.length) lost();
  const defaultFirst = await defaultFirstSorter(tx, levels);
  for (const [variantId, quantity] of demand) await takeFromWarehouses(tx, defaultFirst(levels, variantId), variantId, quantity);
}

/**
 * Keeps a cart's ACTIVE reservations alive at least until `until` (a payment
 * waiting for the buyer: an open hosted session, a card awaiting 3-D Secure).
 * Only the expiry moves; a hold already lasting longer is left alone.
 */
export function holdCartReservationsUntil(tx: EntityManager, cartId: string, until: Date): Promise<number> {
  return tx.nativeUpdate(Reservation, { cartId, status: ReservationStatus.ACTIVE, expiresAt: { $lt: until } }, { expiresAt: until });
}

/** Re-taken units are converted in the same transaction: their hold only has to lie ahead of `now`. */
const RETAKE_HOLD_MS = 60_000;

const sameDemand = (a: Map<string, number>, b: Map<string, number>): boolean =>
  a.size === b.size && [...a].every(([variantId, units]) => b.get(variantId) === units);

/**
 * Takes a paid order's units from stock when its payment completed after
 * checkout answered (3-D Secure, hosted checkout). The cart's ACTIVE
 * reservations are converted when they still cover the order's lines; when
 * they are gone (lapsed and RELEASED by the expiry worker) the units are
 * reserved again under the stock row locks, if they are free, and converted at
 * once. Fails closed with INSUFFICIENT_STOCK: an order is never placed without
 * its units (invariant 5).
 */
export async function takeStockForPaidOrder(tx: EntityManager, cartId: string, orderId: string, lines: readonly LineDemand[], now: Date): Promise<void> {
  const active = await tx.find(Reservation, { cartId, status: ReservationStatus.ACTIVE });
  const held = demandByVariant(active.map((r) => ({ variantId: r.variant.id, quantity: r.quantity })));
  if (sameDemand(held, demandByVariant(lines)))
    return convertReservations(
      tx,
      cartId,
      active.map((r) => r.id),
      orderId,
      now,
    );
  logger.warn('inventory.order_reservations_lapsed', { orderId, cartId, activeReservations: active.length });
  const { reservationIds } = await reserveCartLines(tx, cartId, lines, now, new Date(now.getTime() + RETAKE_HOLD_MS));
  await convertReservations(tx, cartId, reservationIds, orderId, now);
}

async function takeFromWarehouses(tx: EntityManager, levels: StockLevel[], variantId: string, quantity: number): Promise<void> {
  let remaining = quantity;
  for (const level of levels) {
    if (remaining === 0) break;
    const take = Math.min(remaining, level.onHand);
    if (take <= 0) continue;
    if ((await guardedUpdate(tx, 'update stock_levels set on_hand = on_hand - ? where id = ? and on_hand >= ?', [take, level.id, take])) === 1)
      remaining -= take;
  }
  if (remaining > 0) abortWith(insufficientStock([{ variantId, requested: quantity, available: quantity - remaining }]));
}

/**
 * Puts a placed order's units back on hand (cancellation). The units go to the
 * variant's default-warehouse row (or its first row): the order does not record
 * which warehouse shipped them, and none has shipped yet.
 */
export async function restoreConvertedStock(tx: EntityManager, orderId: string): Promise<void> {
  const converted = await tx.find(Reservation, { orderId, status: ReservationStatus.CONVERTED });
  const demand = demandByVariant(converted.map((r) => ({ variantId: r.variant.id, quantity: r.quantity })));
  const levels = await lockStock(tx, [...demand.keys()]);
  const defaultFirst = await defaultFirstSorter(tx, levels);
  for (const [variantId, quantity] of demand) {
    const [target] = defaultFirst(levels, variantId);
    if (!target) continue;
    await guardedUpdate(tx, 'update stock_levels set on_hand = on_hand + ? where id = ?', [quantity, target.id]);
  }
}
