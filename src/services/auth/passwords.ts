import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';

/**
 * scrypt from node:crypto (memory-hard, no native addon). Stored as
 * `scrypt$N$r$p$salt$hash`: every hash carries the parameters it was made
 * with, so hashes of an older cost keep verifying and are re-made with the
 * current cost at the owner's next successful logIn (needsRehash).
 */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 — 128 MiB and roughly 0.3 s per hash. */
export const PASSWORD_COST: ScryptCost = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

/** Bounds on parameters read back from the database: a damaged row must not make one logIn allocate gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

let currentCost: ScryptCost = PASSWORD_COST;

/**
 * For the test suite only: it signs up thousands of customers, and the
 * production cost would spend 0.3 s and 128 MiB on each. Jest's setup files
 * call this; it refuses to run anywhere else, so no configuration can lower
 * the cost of a real deployment. `null` restores the production cost.
 */
export function usePasswordCostForTests(cost: ScryptCost | null): void {
  if (!process.env.JEST_WORKER_ID) throw new Error('usePasswordCostForTests is for the test suite only');
  currentCost = cost ?? PASSWORD_COST;
}

export const passwordCost = (): ScryptCost => currentCost;

/** OpenSSL's own sum: the block buffer (128·r·p) and the V array (128·r·(N+2)); Node's default 32 MiB is too small for N=2^17. */
const memoryFor = (cost: ScryptCost): number => 128 * cost.r * (cost.N + 2 + cost.p);

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, { N: cost.N, r: cost.r, p: cost.p, maxmem: memoryFor(cost) }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

const format = (cost: ScryptCost, salt: Buffer, key: Buffer): string =>
  ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');

interface StoredHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

const isPowerOfTwo = (n: number): boolean => Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;

function parse(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key) return null;
  if (!isPowerOfTwo(cost.N) || cost.N > MAX_N) return null;
  if (!Number.isInteger(cost.r) || cost.r < 1 || cost.r > MAX_R || !Number.isInteger(cost.p) || cost.p < 1 || cost.p > MAX_P) return null;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export async function hashPassword(password: string, cost: ScryptCost = currentCost): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return format(cost, salt, await derive(password, salt, cost));
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.cost);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/** True when a hash was made with other parameters than the current ones: re-hash it once the password is known. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.cost.N !== currentCost.N || parsed.cost.r !== currentCost.r || parsed.cost.p !== currentCost.p;
}

/**
 * Spent on unknown emails too, at the current cost, so response time does not
 * tell which emails exist. No password derives this all-zero key.
 */
export const dummyHash = (): string => format(currentCost, Buffer.alloc(SALT_BYTES), Buffer.alloc(KEY_LENGTH));
