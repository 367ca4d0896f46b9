import type { LockMode } from '@mikro-orm/core';
import { Reservation, ReservationStatus, StockLevel, Warehouse } from '../../../entities';
import { newId } from '../../../entities/columns';
import { logger } from '../../../services/shared/logger';
import type { StockShortfall } from '../../../services/shared/outcome';
import { transition } from '../../../services/state/transition';
import { dateOrNull } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import type { HeldUnits, HoldAnswer, HoldRequest, LineDemand, StockStore } from '../stock-store';

/** Units per variant, summed, in variant id order: every locker takes the rows alike. */
export function demandByVariant(lines: readonly LineDemand[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of [...lines].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0))) {
    totals.set(line.variantId, (totals.get(line.variantId) ?? 0) + line.quantity);
  }
  return totals;
}

/** Every variant of the demand short, none of it available: a hold that is gone. */
export const allShort = (demand: Map<string, number>): StockShortfall[] =>
  [...demand].map(([variantId, requested]) => ({ variantId, requested, available: 0 }));

export function shortOf(demand: Map<string, number>, free: (variantId: string) => number): StockShortfall[] {
  const shortfalls: StockShortfall[] = [];
  for (const [variantId, requested] of demand) {
    const available = free(variantId);
    if (available < requested) shortfalls.push({ variantId, requested, available });
  }
  return shortfalls;
}

/** A reservation row about to be inserted (property names as the entity has them). */
export interface NewReservation {
  id: string;
  status: ReservationStatus;
  cartId: string;
  variant: string;
  quantity: number;
  expiresAt: Date;
  createdAt: Date;
  heldBy: string | null;
}

/** A hold that counts against its holder's cap: who, the cap, and how many units this hold wants. */
export interface CappedHold {
  holderKey: string;
  maxUnits: number;
  wantedUnits: number;
}

/**
 * The guarded decrement of every variant's on hand at once, where each
 * variant has one stock row: a row short of its units is left alone (and
 * not counted among the changed rows).
 */
export function decrementByVariant(demand: Map<string, number>): { sql: string; params: unknown[] } {
  // The cast types the unit counts where a prepared statement cannot infer them (a CASE's results); SQLite reads it too.
  const cases = [...demand].map(() => 'when ? then cast(? as integer)').join(' ');
  const units = [...demand].flatMap(([variantId, quantity]) => [variantId, quantity]);
  return {
    sql: `update stock_levels set on_hand = on_hand - (case variant_id ${cases} end) where variant_id in (?) and on_hand >= (case variant_id ${cases} end)`,
    params: [...units, [...demand.keys()], ...units],
  };
}

/** Why a reservation attempt wrote nothing. */
export type HoldRefusal = Exclude<HoldAnswer, { kind: 'held' }>;

/** The units the holder may already hold beside this hold's. */
export const room = (hold: CappedHold): number => hold.maxUnits - hold.wantedUnits;

/**
 * Common table expressions `holds` and `held` over the holder's live
 * reservations: `held.units` is what it holds now (its other carts: this
 * cart's earlier hold was released earlier in the transaction), and
 * `held.fits_at` the earliest expiry after which the units still held leave
 * room for this hold's — when retrying can succeed.
 */
export function heldUnitsCtes(uow: UnitOfWork, hold: CappedHold, now: Date): { sql: string; params: unknown[] } {
  return {
    sql:
      'holds as (select r.expires_at, sum(r.quantity) over () as units, sum(r.quantity) over (order by r.expires_at) as lapsed' +
      ' from reservations r where r.held_by = ? and r.status in (?) and r.expires_at > ?),' +
      ' held as (select coalesce(max(units), 0) as units, min(case when units - lapsed <= ? then expires_at end) as fits_at from holds)',
    params: [hold.holderKey, ReservationStatus.ACTIVE, uow.sql.time(now), room(hold)],
  };
}

/** The over-cap answer when the `held` row says the holder's units leave no room for this hold; null when they do. */
export function overCap(hold: CappedHold, held: { units: unknown; fits_at: unknown } | undefined): HoldRefusal | null {
  if (!held || Number(held.units) <= room(hold)) return null;
  return { kind: 'over-cap', fitsAt: dateOrNull(held.fits_at) };
}

const heldUnitsOf = (rows: readonly NewReservation[]): HeldUnits[] =>
  rows.map((row) => ({ id: row.id, variantId: row.variant, quantity: row.quantity, expiresAt: row.expiresAt }));

/**
 * What both dialects do alike: the ORM's guarded transitions, the general
 * conversion and restoration over locked stock rows, the availability reads.
 * A dialect supplies the row lock it takes and its own statements for
 * reserving and for converting covering reservations.
 */
export abstract class StockStoreBase implements StockStore {
  /** How stock rows are locked for the rest of the transaction; none where writers are already serialized. */
  protected abstract readonly rowLock: LockMode.PESSIMISTIC_WRITE | undefined;

  /**
   * The dialect's reservation of `rows` (non-empty, one per variant in id
   * order), the cart's earlier reservations released first; null when it
   * inserted them.
   */
  protected abstract reserveWhereFree(uow: UnitOfWork, cartId: string, rows: NewReservation[], now: Date, cap: CappedHold | null): Promise<HoldRefusal | null>;

  abstract convertHeld(uow: UnitOfWork, held: readonly HeldUnits[], orderId: string): Promise<StockShortfall[]>;

  async reserve(uow: UnitOfWork, cartId: string, lines: readonly LineDemand[], request: HoldRequest): Promise<HoldAnswer> {
    const { now, until, holder } = request;
    const rows: NewReservation[] = [...demandByVariant(lines)].map(([variantId, quantity]) => ({
      id: newId(),
      status: ReservationStatus.ACTIVE,
      cartId,
      variant: variantId,
      quantity,
      expiresAt: until,
      createdAt: now,
      heldBy: holder?.key ?? null,
    }));
    if (rows.length === 0) {
      await this.releaseCart(uow, cartId);
      return { kind: 'held', held: [] };
    }
    const wantedUnits = rows.reduce((units, row) => units + row.quantity, 0);
    const cap = holder && holder.maxUnits !== null ? { holderKey: holder.key, maxUnits: holder.maxUnits, wantedUnits } : null;
    return (await this.reserveWhereFree(uow, cartId, rows, now, cap)) ?? { kind: 'held', held: heldUnitsOf(rows) };
  }

  async lock(uow: UnitOfWork, variantIds: readonly string[]): Promise<void> {
    if (this.rowLock) await this.lockStock(uow, variantIds);
  }

  release(uow: UnitOfWork, reservationIds: readonly string[]): Promise<number> {
    return transition(uow.em, Reservation, reservationIds, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
  }

  releaseCart(uow: UnitOfWork, cartId: string): Promise<number> {
    return transition(uow.em, Reservation, { cartId }, ReservationStatus.ACTIVE, ReservationStatus.RELEASED);
  }

  async activeOfCart(uow: UnitOfWork, cartId: string): Promise<HeldUnits[]> {
    const active = await uow.em.find(Reservation, { cartId, status: ReservationStatus.ACTIVE });
    return active.map((r) => ({ id: r.id, variantId: r.variant.id, quantity: r.quantity, expiresAt: r.expiresAt }));
  }

  async extendHeld(uow: UnitOfWork, held: readonly HeldUnits[], until: Date): Promise<StockShortfall[]> {
    const extended = await uow.em.nativeUpdate(Reservation, { id: { $in: held.map((r) => r.id) }, status: ReservationStatus.ACTIVE }, { expiresAt: until });
    return extended === held.length ? [] : allShort(demandByVariant(held));
  }

  holdCartUntil(uow: UnitOfWork, cartId: string, until: Date): Promise<number> {
    return uow.em.nativeUpdate(Reservation, { cartId, status: ReservationStatus.ACTIVE, expiresAt: { $lt: until } }, { expiresAt: until });
  }

  async convert(uow: UnitOfWork, cartId: string, reservationIds: readonly string[], orderId: string, now: Date): Promise<StockShortfall[]> {
    const reservations = await uow.em.find(Reservation, { id: { $in: [...reservationIds] } });
    const demand = demandByVariant(reservations.map((r) => ({ variantId: r.variant.id, quantity: r.quantity })));
    const levels = await this.lockStock(uow, [...demand.keys()]);
    if (reservations.length !== reservationIds.length || reservations.some((r) => r.status !== ReservationStatus.ACTIVE)) return allShort(demand);
    if (reservations.some((r) => r.expiresAt <= now)) {
      // A lapsed hold no longer counts anywhere: the units must still be free right now.
      const shortfalls = await this.shortfallsFor(uow, demand, cartId, now);
      if (shortfalls.length > 0) return shortfalls;
    }
    const moved = await transition(uow.em, Reservation, reservationIds, ReservationStatus.ACTIVE, ReservationStatus.CONVERTED, { orderId });
    if (moved !== reservationIds.length) return allShort(demand);
    const defaultFirst = await this.defaultFirstSorter(uow, levels);
    for (const [variantId, quantity] of demand) {
      const taken = await this.takeFromWarehouses(uow, defaultFirst(levels, variantId), quantity);
      if (taken < quantity) return [{ variantId, requested: quantity, available: taken }];
    }
    return [];
  }

  async restore(uow: UnitOfWork, orderId: string): Promise<void> {
    const converted = await uow.em.find(Reservation, { orderId, status: ReservationStatus.CONVERTED });
    const demand = demandByVariant(converted.map((r) => ({ variantId: r.variant.id, quantity: r.quantity })));
    const levels = await this.lockStock(uow, [...demand.keys()]);
    const defaultFirst = await this.defaultFirstSorter(uow, levels);
    for (const [variantId, quantity] of demand) {
      const [target] = defaultFirst(levels, variantId);
      if (!target) continue;
      await uow.sql.write('update stock_levels set on_hand = on_hand + ? where id = ?', [quantity, target.id]);
    }
  }

  async available(uow: UnitOfWork, variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
    const ids = [...new Set(variantIds)];
    const available = new Map<string, number>(ids.map((id) => [id, 0]));
    if (ids.length === 0) return available;
    // One after the other on purpose: inside a transaction both reads share one connection.
    const figure = await this.onHand(uow, ids);
    for (const [variantId, units] of await this.reserved(uow, ids, now)) figure.set(variantId, (figure.get(variantId) ?? 0) - units);
    for (const [variantId, units] of figure) {
      if (units < 0) logger.warn('inventory.negative_availability', { variantId, units });
      available.set(variantId, Math.max(0, units));
    }
    return available;
  }

  async onHand(uow: UnitOfWork, variantIds: readonly string[]): Promise<Map<string, number>> {
    if (variantIds.length === 0) return new Map();
    return unitsMap(
      await uow.sql.rows<UnitsRow>('select s.variant_id, sum(s.on_hand) as units from stock_levels s where s.variant_id in (?) group by s.variant_id', [
        [...variantIds],
      ]),
    );
  }

  async reserved(uow: UnitOfWork, variantIds: readonly string[], now: Date): Promise<Map<string, number>> {
    if (variantIds.length === 0) return new Map();
    return unitsMap(
      await uow.sql.rows<UnitsRow>(
        'select r.variant_id, sum(r.quantity) as units from reservations r where r.variant_id in (?) and r.status in (?) and r.expires_at > ? group by r.variant_id',
        [[...variantIds], ReservationStatus.ACTIVE, uow.sql.time(now)],
      ),
    );
  }

  /** The variants' stock rows, in id order, locked for the rest of the transaction where the dialect locks rows. */
  protected lockStock(uow: UnitOfWork, variantIds: readonly string[]): Promise<StockLevel[]> {
    if (variantIds.length === 0) return Promise.resolve([]);
    return uow.em.find(StockLevel, { variant: { $in: [...variantIds] } }, { orderBy: { id: 'asc' }, ...(this.rowLock ? { lockMode: this.rowLock } : {}) });
  }

  /** This cart's own live units are about to be replaced, so they count as free beside what is available. */
  private async shortfallsFor(uow: UnitOfWork, demand: Map<string, number>, cartId: string, now: Date): Promise<StockShortfall[]> {
    const available = await this.available(uow, [...demand.keys()], now);
    const own = await uow.em.find(Reservation, { cartId, status: ReservationStatus.ACTIVE, expiresAt: { $gt: now } }, { fields: ['variant', 'quantity'] });
    const ownUnits = new Map<string, number>();
    for (const r of own) ownUnits.set(r.variant.id, (ownUnits.get(r.variant.id) ?? 0) + r.quantity);
    return shortOf(demand, (variantId) => (available.get(variantId) ?? 0) + (ownUnits.get(variantId) ?? 0));
  }

  /**
   * Orders a variant's stock rows default warehouse first: where units are
   * taken from and put back to. The warehouse lookup is only needed when some
   * variant is stocked in more than one warehouse.
   */
  private async defaultFirstSorter(
    uow: UnitOfWork,
    levels: readonly StockLevel[],
  ): Promise<(levels: readonly StockLevel[], variantId: string) => StockLevel[]> {
    const rowsOf = (all: readonly StockLevel[], variantId: string) => all.filter((l) => l.variant.id === variantId);
    if (new Set(levels.map((l) => l.variant.id)).size === levels.length) return rowsOf;
    const defaults = new Set((await uow.em.find(Warehouse, { isDefault: true }, { fields: ['id'] })).map((w) => w.id));
    return (all, variantId) => rowsOf(all, variantId).sort((a, b) => Number(defaults.has(b.warehouse.id)) - Number(defaults.has(a.warehouse.id)));
  }

  /** Takes up to `quantity` units from the rows in order, each with a guarded decrement; answers how many it took. */
  private async takeFromWarehouses(uow: UnitOfWork, levels: readonly StockLevel[], quantity: number): Promise<number> {
    let remaining = quantity;
    for (const level of levels) {
      if (remaining === 0) break;
      const take = Math.min(remaining, level.onHand);
      if (take <= 0) continue;
      if ((await uow.sql.write('update stock_levels set on_hand = on_hand - ? where id = ? and on_hand >= ?', [take, level.id, take])) === 1) remaining -= take;
    }
    return quantity - remaining;
  }
}

interface UnitsRow {
  variant_id: string;
  // PostgreSQL answers sum() over integers as bigint, which its driver hands back as text.
  units: number | string | null;
}

const unitsMap = (rows: readonly UnitsRow[]): Map<string, number> => new Map(rows.map((row) => [row.variant_id, Number(row.units ?? 0)]));
