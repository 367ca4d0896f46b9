import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Stripe-looking identifier: `<prefix>_<24 base62 chars>`. Randomness only needs to avoid collisions. */
export function newId(prefix: string, length = 24): string {
  let suffix = '';
  for (const byte of randomBytes(length)) suffix += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${suffix}`;
}

/** Stripe timestamps are whole seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
