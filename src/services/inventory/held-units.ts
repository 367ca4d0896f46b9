import type { Config } from '../../config';
import type { EntityManager } from '../../db/orm';
import { sqlDate } from '../../db/sql-values';
import { ReservationStatus } from '../../entities';
import type { TokenService } from '../auth/tokens';
import { dateOrNull } from '../shared/sql-rows';

/**
 * Stock hoarding (issue 20): a stranger ran createCart, a line of every variant
 * and startCheckout six times, and the whole catalog showed 0 available for the
 * length of a hold, well under the cart rate limit. So the units one client
 * holds across all its open checkouts are capped, counted in the database that
 * every gateway process shares: per customer when signed in, per client address
 * otherwise, whose holds also last only GUEST_HOLD_TTL.
 */
export interface StockHolder {
  /** `customer:<id>`, or `address:<digest>`; written on the hold's reservations (held_by), which the count reads back. */
  key: string;
  /** Units the client may hold across its open checkouts, this one included; null = uncapped (RATE_LIMITS=off). */
  maxUnits: number | null;
  /** How long a new hold of this client lasts. */
  ttlMs: number;
}

/** Whose startCheckout it is: the signed-in customer, and the request's client address (clientAddressKey, TRUST_PROXY honoured). */
export interface CheckoutClient {
  customerId: string | null;
  clientAddress: string;
}

/** Keeps these MACs apart from every other use of the signing key. */
const ADDRESS_PURPOSE = 'tillgate:held-units-address:v1';

/**
 * The holder a startCheckout counts against. An address is stored as an
 * HMAC under AUTH_SECRET, not as given: equality is all the count needs, a
 * reservations table is no place for personal data, and a plain hash of an
 * IPv4 address is undone by trying all 2^32 of them. Every gateway process
 * shares AUTH_SECRET, so they all count one address under one key.
 */
export function stockHolderOf(
  client: CheckoutClient,
  deps: { config: Pick<Config, 'heldUnitCaps' | 'reservationTtlMs' | 'guestHoldTtlMs'>; tokens: Pick<TokenService, 'mac'> },
): StockHolder {
  const { config } = deps;
  if (client.customerId) return { key: `customer:${client.customerId}`, maxUnits: config.heldUnitCaps?.perCustomer ?? null, ttlMs: config.reservationTtlMs };
  const digest = deps.tokens.mac(ADDRESS_PURPOSE, client.clientAddress).subarray(0, 18).toString('base64url');
  return { key: `address:${digest}`, maxUnits: config.heldUnitCaps?.perAddress ?? null, ttlMs: config.guestHoldTtlMs };
}

/**
 * The client already holds so many units that this hold would take it past its
 * cap. Thrown inside the reserving transaction, so everything it did rolls back
 * (nothing reserved); startCheckout answers it as RATE_LIMITED.
 */
export class HeldUnitsCapReached extends Error {
  override name = 'HeldUnitsCapReached';
  constructor(readonly retryAfterMs: number) {
    super(`the client holds its cap of units; room again in ${retryAfterMs} ms`);
  }
}

/** A hold that counts against a cap: who, and how many more units this hold wants. */
export interface CappedHold {
  holderKey: string;
  maxUnits: number;
  wantedUnits: number;
}

/** Namespace of the per-holder advisory locks (two-key form: apart from the migration lock's one-key space). */
const HOLDER_LOCK_SPACE = 0x54474855;

/**
 * PostgreSQL: a condition that takes the holder's transaction-scoped advisory
 * lock. A client's concurrent startCheckouts on different carts reserve
 * different rows and would not otherwise wait for each other, so both could
 * count the same held units and both pass the cap; with the lock the second
 * counts after the first committed. It rides, uncorrelated, on the statement
 * that locks the stock rows (one-time filter, evaluated before any row is
 * locked), so every capped hold takes the holder's lock before stock locks
 * and no statement is added.
 */
export function holderLockCondition(holderKey: string): { sql: string; params: unknown[] } {
  return { sql: '(select true from pg_advisory_xact_lock(?, hashtext(?)))', params: [HOLDER_LOCK_SPACE, holderKey] };
}

/**
 * Common table expressions `holds` and `held` over the holder's live
 * reservations: `held.units` is what it holds now (its other carts: this
 * cart's earlier hold was released earlier in the transaction), and
 * `held.fits_at` the earliest expiry after which the units still held leave
 * room for `room` more — when retrying can succeed.
 */
export function heldUnitsCtes(em: EntityManager, hold: CappedHold, now: Date): { sql: string; params: unknown[] } {
  return {
    sql:
      'holds as (select r.expires_at, sum(r.quantity) over () as units, sum(r.quantity) over (order by r.expires_at) as lapsed' +
      ' from reservations r where r.held_by = ? and r.status in (?) and r.expires_at > ?),' +
      ' held as (select coalesce(max(units), 0) as units, min(case when units - lapsed <= ? then expires_at end) as fits_at from holds)',
    params: [hold.holderKey, ReservationStatus.ACTIVE, sqlDate(em, now), room(hold)],
  };
}

/** More units than fit beside this hold's. */
export const room = (hold: CappedHold): number => hold.maxUnits - hold.wantedUnits;

/** Aborts the reservation when the holder's units leave no room for this hold; `held` is the row of `heldUnitsCtes`. */
export function refuseOverCap(hold: CappedHold, held: { units: unknown; fits_at: unknown } | undefined, now: Date): void {
  if (!held || Number(held.units) <= room(hold)) return;
  const fitsAt = dateOrNull(held.fits_at);
  throw new HeldUnitsCapReached(fitsAt ? fitsAt.getTime() - now.getTime() : 1_000);
}
