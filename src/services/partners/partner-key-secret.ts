import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A partner key is `tgk_<12 characters>.<43 characters>`: the first part (the
 * prefix) names the key and is stored as it is, the second is the secret, of
 * which only a salted SHA-256 is stored. Both parts are base64url of random
 * bytes; the prefix alone gives no access.
 */
const KEY_FORMAT = /^(tgk_[A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/;

export interface NewKeyMaterial {
  /** The whole key, shown to the admin once. */
  key: string;
  prefix: string;
  salt: string;
  secretHash: string;
}

export interface KeyParts {
  prefix: string;
  secret: string;
}

const hashSecret = (salt: string, secret: string): string => createHash('sha256').update(`${salt}:${secret}`).digest('hex');

export function newKeyMaterial(): NewKeyMaterial {
  const prefix = `tgk_${randomBytes(9).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { key: `${prefix}.${secret}`, prefix, salt, secretHash: hashSecret(salt, secret) };
}

/** null for anything not shaped like a key (it cannot be one, so no lookup is needed). */
export function splitKey(key: string): KeyParts | null {
  const match = KEY_FORMAT.exec(key);
  return match ? { prefix: match[1], secret: match[2] } : null;
}

/** Whether `secret` is the one hashed into `stored`; the comparison takes the same time wherever they differ. */
export function secretMatches(secret: string, stored: { salt: string; secretHash: string }): boolean {
  const given = Buffer.from(hashSecret(stored.salt, secret), 'hex');
  const expected = Buffer.from(stored.secretHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
