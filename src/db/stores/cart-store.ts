import type { AddressValue } from '../../entities';
import type { CartLineSnapshot, CartSnapshot, PricingInputs, ShippingMethodSnapshot, VariantFacts } from '../../services/cart/cart-snapshot';
import type { StockFigures } from '../../services/cart/cart-stock';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';
import type { VoucherSnapshot } from './voucher-store';

/** Cart fields a change sets, in domain words; the store writes each to its column. */
export interface CartFields {
  shippingMethodId?: string;
  shippingAddress?: AddressValue;
  voucherCodes?: readonly string[];
  /** The owner: a guest cart taken over at sign-in. */
  customerId?: string;
  nextLinePosition?: number;
  pricesValidatedAt?: Date;
}

/** What claiming a cart for a change sets, besides the version (one up) and updated_at (`now`). */
export interface CartClaim {
  now: Date;
  /** Moves the next line position on by one; the change's new line takes the number before it. */
  reservesPosition?: boolean;
  fields?: CartFields;
}

/** An optimistic claim: it applies only while the cart is still OPEN at the version the change read. */
export interface VersionClaim extends CartClaim {
  cartId: string;
  version: number;
}

/** One write to a cart's lines. */
export type LineWrite =
  | { kind: 'insert'; cartId: string; line: Pick<CartLineSnapshot, 'id' | 'variantId' | 'quantity' | 'unitPrice' | 'position'> }
  | { kind: 'update'; line: Pick<CartLineSnapshot, 'id' | 'quantity' | 'unitPrice'> }
  | { kind: 'delete'; lineId: string };

/**
 * What a cart change looks up besides the cart, read in the cart's own
 * statement. Each answers in the field of `CartLookupAnswers` with its name
 * (null when it was not asked).
 */
export interface CartLookups {
  /** The variant a line is added for: its catalog facts (null: no such variant). */
  variant?: string;
  /** A variant's stock as the cart's advisory check reads it at `at`: named by id, or as the variant of one of this cart's lines. */
  stock?: { variantId: string; at: Date } | { lineId: string; at: Date };
  /** A shipping method (null: no such method). */
  shippingMethod?: string;
  /** A country's tax rate, in basis points (0 where none is set). */
  taxRateOf?: string;
  /** The voucher with this code (null: no such voucher). */
  voucher?: string;
  /** The end of the cart's stock hold: the earliest expiry after this instant of its ACTIVE reservations (null: it holds nothing). */
  holdEndAfter?: Date;
}

export interface CartLookupAnswers {
  variant: VariantFacts | null;
  stock: StockFigures | null;
  shippingMethod: ShippingMethodSnapshot | null;
  taxRateBps: number | null;
  voucher: VoucherSnapshot | null;
  holdEndsAt: Date | null;
}

export interface CartRead {
  snapshot: CartSnapshot;
  found: CartLookupAnswers;
}

/** A cart as it is created: empty, version 1, touched when created. */
export type EmptyCart = Pick<CartSnapshot, 'id' | 'status' | 'currency' | 'email' | 'customerId' | 'createdAt'>;

/**
 * Carts, their lines and the reads a cart change makes with them. Methods
 * take the unit of work they run in; outside a transaction each statement
 * commits on its own.
 */
export interface CartStore {
  /** Inserts a new, empty cart. One statement. */
  create(uow: UnitOfWork, cart: EmptyCart): Promise<void>;

  /**
   * The cart, its lines with their variants' current catalog facts, its
   * shipping method, tax rate and vouchers, and the look-ups asked for, in ONE
   * statement; null when there is no such cart. Access rules are the caller's.
   */
  read(uow: UnitOfWork, cartId: string, lookups?: CartLookups): Promise<CartRead | null>;

  /**
   * Holds the cart's row until the transaction ends, in a statement of its
   * own: under READ COMMITTED only a read that starts after the lock sees what
   * a change committed while this one waited. PostgreSQL locks the row (false:
   * no such cart); libSQL serializes its writers, so there nothing is sent and
   * the answer is true.
   */
  lock(uow: UnitOfWork, cartId: string): Promise<boolean>;

  /** The tax rate of `country` and the vouchers of `codes` that exist, in code order: one statement, none when there is neither. */
  pricingInputs(uow: UnitOfWork, country: string | null, codes: readonly string[]): Promise<PricingInputs>;

  /**
   * Claims the cart for a change in the caller's transaction: one update
   * moving the version and setting the claim's fields. On PostgreSQL it takes
   * the row lock, so concurrent claims of one cart queue. False: no such cart.
   */
  claim(uow: UnitOfWork, cartId: string, claim: CartClaim): Promise<boolean>;

  /**
   * Writes an optimistic change behind its claim, with no transaction held
   * while the change decided: the claim applies only while the cart is OPEN at
   * `claim.version`, and the line writes only when it did. Fields alone are
   * one update on either dialect; with lines, PostgreSQL writes all in one
   * statement (the line writes guarded on the claim in common table
   * expressions) and libSQL in a short transaction of its own. False: the cart
   * moved on since it was read, and nothing was written.
   */
  claimIfUnchanged(uow: UnitOfWork, claim: VersionClaim, lines: readonly LineWrite[]): Promise<boolean>;

  /** One line write in the caller's transaction, after its claim. One statement. */
  writeLine(uow: UnitOfWork, write: LineWrite): Promise<void>;

  /** Re-stamps the lines' unit prices in one statement (none for no lines). */
  setLinePrices(uow: UnitOfWork, lines: readonly Pick<CartLineSnapshot, 'id' | 'unitPrice'>[]): Promise<void>;

  /** Sets fields of a cart claimed in this transaction (the version moved with the claim). One statement. */
  update(uow: UnitOfWork, cartId: string, fields: CartFields): Promise<void>;

  /**
   * The customer's most recently changed open cart in `currency`, claimed as
   * `claim` claims (version one up, row held until commit on PostgreSQL).
   * Null when there is none, or when it stopped being the customer's open cart
   * between the look-up and the claim.
   */
  claimOpenCartOf(uow: UnitOfWork, customerId: string, currency: string, now: Date): Promise<string | null>;

  /**
   * Deletes up to `limit` OPEN carts without lines untouched since `cutoff`,
   * oldest first, in one statement; answers how many. A cart claimed for a
   * change meanwhile is young again and stays; on PostgreSQL carts another
   * transaction holds are left to a later round.
   */
  deleteAbandoned(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number>;

  /**
   * Deletes up to `limit` RELEASED reservations that expired before `cutoff`,
   * in one statement: history the cart cleanup drops with the carts (no
   * availability read counts a released reservation).
   */
  deleteReleasedReservations(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number>;

  /** Whether a cleanup at `cutoff` would find an abandoned cart or an old released reservation: two index probes, for the worker runner's one due statement. */
  cleanupDue(cutoff: Date): DueCheck;
}
