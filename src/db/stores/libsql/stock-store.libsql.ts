import { Reservation, ReservationStatus } from '../../../entities';
import type { StockShortfall } from '../../../services/shared/outcome';
import { transition } from '../../../services/state/transition';
import type { UnitOfWork } from '../../unit-of-work';
import {
  allShort,
  decrementByVariant,
  demandByVariant,
  heldUnitsCtes,
  overCap,
  shortOf,
  StockStoreBase,
  type CappedHold,
  type HoldRefusal,
  type NewReservation,
} from '../shared/stock-store.base';
import type { HeldUnits } from '../stock-store';

type FreeRow = { variant_id: string | null; free: number | string | null; units: unknown; fits_at: unknown };

/**
 * libSQL: one writer at a time, so a write transaction is already alone and
 * takes no row locks; it runs in process, with no round trip to save, so a
 * step that PostgreSQL packs into one statement is two here.
 */
export class LibsqlStockStore extends StockStoreBase {
  protected readonly rowLock = undefined;

  /**
   * Three statements: the cart's earlier reservations released; what every
   * variant can promise (on hand minus live reservations) and, for a capped
   * hold, the units its holder holds, in a row of their own; one multi-row
   * insert. Nobody reserves between the read and the insert.
   */
  protected async reserveWhereFree(uow: UnitOfWork, cartId: string, rows: NewReservation[], now: Date, cap: CappedHold | null): Promise<HoldRefusal | null> {
    await this.releaseCart(uow, cartId);
    const held = cap ? heldUnitsCtes(uow, cap, now) : null;
    const answer = await uow.sql.rows<FreeRow>(
      (held ? `with ${held.sql} ` : '') +
        'select s.variant_id, sum(s.on_hand) - coalesce((select sum(r.quantity) from reservations r' +
        ' where r.variant_id = s.variant_id and r.status in (?) and r.expires_at > ?), 0) as free, null as units, null as fits_at' +
        ' from stock_levels s where s.variant_id in (?) group by s.variant_id' +
        (held ? ' union all select null, null, units, fits_at from held' : ''),
      [...(held?.params ?? []), ReservationStatus.ACTIVE, uow.sql.time(now), rows.map((row) => row.variant)],
    );
    const refused = cap
      ? overCap(
          cap,
          answer.find((row) => row.variant_id === null),
        )
      : null;
    if (refused) return refused;
    const free = new Map(answer.filter((row) => row.variant_id !== null).map((row) => [String(row.variant_id), Number(row.free)]));
    const shortfalls = shortOf(new Map(rows.map((row) => [row.variant, row.quantity])), (variantId) => Math.max(0, free.get(variantId) ?? 0));
    if (shortfalls.length > 0) return { kind: 'short', shortfalls };
    await uow.em.insertMany(Reservation, rows);
    return null;
  }

  /** One statement after the other, the decrement only when every reservation converted. */
  async convertHeld(uow: UnitOfWork, held: readonly HeldUnits[], orderId: string): Promise<StockShortfall[]> {
    const demand = demandByVariant(held);
    const converted = await transition(
      uow.em,
      Reservation,
      held.map((r) => r.id),
      ReservationStatus.ACTIVE,
      ReservationStatus.CONVERTED,
      { orderId },
    );
    if (converted !== held.length) return allShort(demand);
    const decrement = decrementByVariant(demand);
    return (await uow.sql.write(decrement.sql, decrement.params)) === demand.size ? [] : allShort(demand);
  }
}
