import { randomBytes } from 'node:crypto';

/** Random bytes in a license key: 160 bits, well past the 128 that make it unguessable. */
const KEY_BYTES = 20;

/** A new license key: `TGL-` and 32 base32 characters (no 0/1/8/9, unambiguous when read out), from crypto.randomBytes. */
export function newLicenseKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(KEY_BYTES);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `TGL-${out}`;
}

/** The shape of a key, checked before any look-up so junk never reaches the database. */
export const looksLikeLicenseKey = (key: string): boolean => /^TGL-[A-Z2-7]{32}$/.test(key);
