import type { StockShortfall } from '../../services/shared/outcome';
import type { UnitOfWork } from '../unit-of-work';

/** Units of one variant that a cart or an order wants. */
export interface LineDemand {
  variantId: string;
  quantity: number;
}

/** One ACTIVE reservation as checkout keeps it: what it holds, and until when. */
export interface HeldUnits {
  id: string;
  variantId: string;
  quantity: number;
  expiresAt: Date;
}

/**
 * Whose hold it is: `key` is written on its reservations (held_by), and with a
 * cap the units that key holds in live reservations of its other carts plus
 * this hold's must stay within `maxUnits` (null: no cap).
 */
export interface Holder {
  key: string;
  maxUnits: number | null;
}

export interface HoldRequest {
  now: Date;
  /** When the new reservations expire. */
  until: Date;
  holder?: Holder | null;
}

/**
 * What a reservation attempt came to. Only `held` wrote reservations; `short`
 * and `over-cap` wrote none, but the cart's earlier reservations were already
 * released, so the caller must not commit (it aborts, and the rollback gives
 * them back).
 */
export type HoldAnswer =
  | { kind: 'held'; held: HeldUnits[] }
  | { kind: 'short'; shortfalls: StockShortfall[] }
  /** The holder's other live units leave no room for these; `fitsAt` is when enough of them will have lapsed (null: unknown). */
  | { kind: 'over-cap'; fitsAt: Date | null };

/**
 * Stock on hand (stock_levels) and the reservations that promise it to carts
 * (invariant 5: available = on hand − ACTIVE reservations not yet expired; on
 * hand never goes below zero). Every method runs in the unit of work's
 * transaction. Rows of stock are always locked in id order, so two lockers
 * never deadlock. A method answering shortfalls answers none when it did its
 * work; a non-empty answer may leave part of it written, so the caller aborts
 * its transaction.
 */
export interface StockStore {
  /** The variants' stock rows locked until the transaction ends, in id order (nothing to do where writers are already serialized). */
  lock(uow: UnitOfWork, variantIds: readonly string[]): Promise<void>;
  /**
   * Reserves every line for the cart until `until`, or none: the variants'
   * stock rows locked (a capped holder's lock taken first), the cart's earlier
   * reservations released (a refresh replaces, never adds), what is free read
   * after the lock, one multi-row insert. With no lines it only releases.
   */
  reserve(uow: UnitOfWork, cartId: string, lines: readonly LineDemand[], request: HoldRequest): Promise<HoldAnswer>;
  /** These reservations RELEASED where still ACTIVE (guarded); answers how many moved. */
  release(uow: UnitOfWork, reservationIds: readonly string[]): Promise<number>;
  /** Every ACTIVE reservation of the cart RELEASED (guarded); answers how many moved. */
  releaseCart(uow: UnitOfWork, cartId: string): Promise<number>;
  /** The cart's ACTIVE reservations, lapsed ones included. */
  activeOfCart(uow: UnitOfWork, cartId: string): Promise<HeldUnits[]>;
  /** Covering reservations kept alive until `until`, in one statement; short (available 0) when one is no longer ACTIVE. */
  extendHeld(uow: UnitOfWork, held: readonly HeldUnits[], until: Date): Promise<StockShortfall[]>;
  /** The cart's ACTIVE reservations kept alive at least until `until` (a payment waiting for the buyer); a longer hold is left alone. */
  holdCartUntil(uow: UnitOfWork, cartId: string, until: Date): Promise<number>;
  /**
   * Covering reservations, for variants stocked in one warehouse each (the
   * caller checks), CONVERTED to the order and taken off on hand: the
   * decrement is guarded (`on_hand >= units`) and row-locking. Short
   * (available 0) when a reservation is no longer ACTIVE or a variant's on
   * hand fell short.
   */
  convertHeld(uow: UnitOfWork, held: readonly HeldUnits[], orderId: string): Promise<StockShortfall[]>;
  /**
   * The general conversion, any number of warehouses: the stock rows locked,
   * the reservations CONVERTED to the order, on hand taken from the
   * warehouses default first with guarded decrements. A lapsed reservation's
   * units are re-checked as free under the lock first. Short when a
   * reservation is gone or the units are.
   */
  convert(uow: UnitOfWork, cartId: string, reservationIds: readonly string[], orderId: string, now: Date): Promise<StockShortfall[]>;
  /**
   * A cancelled placed order's units back on hand, each variant's to its
   * default-warehouse row (or its first): under the stock row locks.
   */
  restore(uow: UnitOfWork, orderId: string): Promise<void>;
  /**
   * Units each variant can still promise at `now` (on hand over every
   * warehouse minus live reservations; never below 0, unknown ids 0), in two
   * statements whatever the number of ids. Binding only after the rows are locked.
   */
  available(uow: UnitOfWork, variantIds: readonly string[], now: Date): Promise<Map<string, number>>;
  /** Σ on hand over every warehouse per variant, one statement; variants without stock rows are absent. */
  onHand(uow: UnitOfWork, variantIds: readonly string[]): Promise<Map<string, number>>;
  /** Σ units of live (ACTIVE, unexpired at `now`) reservations per variant, one statement; absent = none. */
  reserved(uow: UnitOfWork, variantIds: readonly string[], now: Date): Promise<Map<string, number>>;
}
