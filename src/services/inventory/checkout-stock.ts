import type { EntityManager } from '../../db/orm';
import { Reservation, ReservationStatus } from '../../entities';
import { isPostgres } from '../../db/orm';
import { preparedRows } from '../../db/prepared-statements';
import { intOf, runWrite } from '../shared/sql-rows';
import { abortWith, insufficientStock } from '../shared/outcome';
import { transition, transitionSql } from '../state/transition';
import type { LineDemand } from './reservations';

export interface HeldUnits {
  id: string;
  variantId: string;
  quantity: number;
  expiresAt: Date;
}

/** Units per variant. */
export function unitsByVariant(lines: readonly { variantId: string; quantity: number }[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.variantId, (units.get(line.variantId) ?? 0) + line.quantity);
  return units;
}

/**
 * Whether the cart's own live reservations (startCheckout's) hold exactly what
 * the checkout needs, so they can be taken as they are: every one still ahead
 * of `now`, and the same units per variant. Such units are already counted
 * against everyone else's availability, so nothing needs re-checking.
 */
export function reservationsCover(held: readonly HeldUnits[], demand: readonly LineDemand[], now: Date): boolean {
  if (held.length === 0 || held.some((r) => r.expiresAt.getTime() <= now.getTime())) return false;
  const have = unitsByVariant(held);
  const need = unitsByVariant(demand);
  return have.size === need.size && [...need].every(([variantId, units]) => have.get(variantId) === units);
}

/**
 * Takes the units of a cart's covering reservations off the shelf: the
 * reservations CONVERTED to the order, and on hand lowered for every variant
 * at once. Only for variants stocked in one warehouse each (the caller
 * checks): there is then no choice of warehouse to make. The decrement is
 * guarded (`on_hand >= units`) and row-locking, so it can never go below zero;
 * a shortfall, or a reservation no longer ACTIVE, fails closed with
 * INSUFFICIENT_STOCK and the caller's rollback undoes the other half.
 */
export async function convertHeldUnits(tx: EntityManager, held: readonly HeldUnits[], orderId: string): Promise<void> {
  const demand = unitsByVariant(held);
  const { converted, taken } = isPostgres(tx) ? await convertAndTakeAtOnce(tx, held, demand, orderId) : await convertThenTake(tx, held, demand, orderId);
  if (converted !== held.length || taken !== demand.size) {
    abortWith(insufficientStock([...demand].map(([variantId, requested]) => ({ variantId, requested, available: 0 }))));
  }
}

/** The guarded decrement of every variant's on hand: SQL and bindings. */
function decrementSql(demand: Map<string, number>): { sql: string; bindings: unknown[] } {
  // The cast types the unit counts where a prepared statement cannot infer them (a CASE's results); SQLite reads it too.
  const cases = [...demand].map(() => 'when ? then cast(? as integer)').join(' ');
  const units = [...demand].flatMap(([variantId, quantity]) => [variantId, quantity]);
  return {
    sql: `update stock_levels set on_hand = on_hand - (case variant_id ${cases} end) where variant_id in (?) and on_hand >= (case variant_id ${cases} end)`,
    bindings: [...units, [...demand.keys()], ...units],
  };
}

/**
 * PostgreSQL: both halves as one statement (two data-modifying CTEs). Each
 * update takes its row locks and re-checks its guard on the newest row
 * version exactly as it would alone; one round trip instead of two.
 */
async function convertAndTakeAtOnce(tx: EntityManager, held: readonly HeldUnits[], demand: Map<string, number>, orderId: string) {
  const move = transitionSql(
    tx,
    Reservation,
    held.map((r) => r.id),
    ReservationStatus.ACTIVE,
    ReservationStatus.CONVERTED,
    { orderId },
  );
  const decrement = decrementSql(demand);
  const [row] = await preparedRows(
    tx,
    `with converted as (${move.sql} returning 1), taken as (${decrement.sql} returning 1)` +
      ' select (select count(*) from converted) as converted, (select count(*) from taken) as taken',
    [...move.bindings, ...decrement.bindings],
  );
  return { converted: intOf(row.converted), taken: intOf(row.taken) };
}

/** libSQL (in-process, one writer): one statement after the other, the decrement only when every reservation converted. */
async function convertThenTake(tx: EntityManager, held: readonly HeldUnits[], demand: Map<string, number>, orderId: string) {
  const converted = await transition(
    tx,
    Reservation,
    held.map((r) => r.id),
    ReservationStatus.ACTIVE,
    ReservationStatus.CONVERTED,
    { orderId },
  );
  if (converted !== held.length) return { converted, taken: 0 };
  const decrement = decrementSql(demand);
  return { converted, taken: await runWrite(tx, decrement.sql, decrement.bindings) };
}

/** Keeps covering reservations alive until `until` (the checkout pays outside): one statement. */
export async function extendHeldUnits(tx: EntityManager, held: readonly HeldUnits[], until: Date): Promise<void> {
  const extended = await tx.nativeUpdate(Reservation, { id: { $in: held.map((r) => r.id) }, status: ReservationStatus.ACTIVE }, { expiresAt: until });
  if (extended !== held.length) {
    abortWith(insufficientStock([...unitsByVariant(held)].map(([variantId, requested]) => ({ variantId, requested, available: 0 }))));
  }
}
