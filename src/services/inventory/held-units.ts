import type { Config } from '../../config';
import type { HeldUnits, HoldAnswer } from '../../db/stores/stock-store';
import type { TokenService } from '../auth/tokens';
import { abortWith, insufficientStock } from '../shared/outcome';

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

/**
 * The units a reservation attempt held, or the caller's transaction aborted:
 * INSUFFICIENT_STOCK with the shortfalls, or HeldUnitsCapReached (with when
 * retrying can succeed) when the holder's other units leave no room.
 */
export function heldOrAbort(answer: HoldAnswer, now: Date): HeldUnits[] {
  if (answer.kind === 'held') return answer.held;
  if (answer.kind === 'short') return abortWith(insufficientStock(answer.shortfalls));
  throw new HeldUnitsCapReached(answer.fitsAt ? answer.fitsAt.getTime() - now.getTime() : 1_000);
}
