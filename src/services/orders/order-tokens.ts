import { timingSafeEqual } from 'node:crypto';
import type { TokenService } from '../auth/tokens';

/**
 * Order tokens (guest orders): `CheckoutConfirmation.orderToken`, a
 * capability to read that one order with `orderByToken`.
 *
 * A token is base64url(order id as 16 bytes || HMAC-SHA256(AUTH_SECRET, order id)):
 * 64 characters carrying 256 bits nobody can compute without the signing key.
 * Derived, not stored, because:
 * - a replayed confirmCheckout (and an order finished by recovery or a webhook)
 *   must answer a token that works; a stored hash of a random token could only
 *   be answered once, or replaced, which would cut off the first holder;
 * - nothing is written at checkout, so no column, no migration, no statement.
 * The price: rotating AUTH_SECRET ends every order token (as it ends every
 * session), and one order's token cannot be revoked on its own.
 * The order id inside is no secret (order(id) checks who asks); it only lets
 * the lookup be one primary-key read after the MAC checks out.
 */

/** Keeps these MACs apart from any other use of the signing key. */
const PURPOSE = 'tillgate:order-token:v1';
const ID_BYTES = 16;
const MAC_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{64}$/;

export type OrderTokenKey = Pick<TokenService, 'mac'>;

export function orderTokenFor(key: OrderTokenKey, orderId: string): string {
  const id = Buffer.from(orderId.replace(/-/g, ''), 'hex');
  if (id.length !== ID_BYTES) throw new Error(`order id ${orderId} is not a UUID`);
  return Buffer.concat([id, key.mac(PURPOSE, canonicalId(id))]).toString('base64url');
}

/** The order id a token was made for, or null for anything this gateway did not hand out. */
export function orderIdOfToken(key: OrderTokenKey, token: string): string | null {
  if (!TOKEN_SHAPE.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  const orderId = canonicalId(bytes.subarray(0, ID_BYTES));
  const expected = key.mac(PURPOSE, orderId);
  // Constant time: how much of a forged MAC matched must not show in the answer time.
  return timingSafeEqual(bytes.subarray(ID_BYTES, ID_BYTES + MAC_BYTES), expected) ? orderId : null;
}

/** 16 bytes as the lowercase 8-4-4-4-12 form ids are written in. */
function canonicalId(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
