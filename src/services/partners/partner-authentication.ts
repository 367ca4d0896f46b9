import type { EntityManager } from '../../db/orm';
import { PartnerKey } from '../../entities';
import { logger } from '../shared/logger';
import { secretMatches, splitKey } from './partner-key-secret';

/** Who a request's valid partner key belongs to. */
export interface AuthenticatedPartner {
  partnerId: string;
  name: string;
  keyId: string;
}

/** lastUsedAt is written at most this often per key, so a busy partner does not write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

interface KeyRow {
  id: string;
  partner_id: string;
  salt: string;
  secret_hash: string;
  revoked_at: unknown;
  last_used_at: unknown;
  name: string;
}

/** PostgreSQL answers Date, libSQL epoch milliseconds. */
const toTime = (value: unknown): number | null => (value === null || value === undefined ? null : new Date(value as string | number | Date).getTime());

/**
 * The partner of a key, or null when the key is malformed, unknown, revoked or
 * its secret differs. Read from the database on every request: nothing is
 * cached, so a revocation is refused by every gateway process from the next
 * request on. The key is looked up by its non-secret prefix, then the hash of
 * the secret is compared in constant time.
 */
export async function authenticatePartnerKey(em: EntityManager, key: string, now: Date): Promise<AuthenticatedPartner | null> {
  const parts = splitKey(key);
  if (!parts) return null;
  const rows: KeyRow[] = await em
    .getConnection()
    .execute(
      'select k.id, k.partner_id, k.salt, k.secret_hash, k.revoked_at, k.last_used_at, p.name from partner_keys k join partners p on p.id = k.partner_id where k.prefix = ?',
      [parts.prefix],
    );
  const row = rows[0];
  if (!row || !secretMatches(parts.secret, { salt: row.salt, secretHash: row.secret_hash }) || toTime(row.revoked_at) !== null) return null;
  const lastUsed = toTime(row.last_used_at);
  if (lastUsed === null || now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) await touchKey(em, row.id, now);
  return { partnerId: row.partner_id, name: row.name, keyId: row.id };
}

/**
 * A guarded update: only a write whose previous value is a minute old or more
 * lands, so concurrent requests in any process write lastUsedAt once a minute.
 * A failure here must not refuse the partner's request; it is logged.
 */
async function touchKey(em: EntityManager, keyId: string, now: Date): Promise<void> {
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  try {
    await em.fork().nativeUpdate(PartnerKey, { id: keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: staleBefore } }] }, { lastUsedAt: now });
  } catch (error) {
    logger.error('partner_key.last_used_update_failed', { keyId, error });
  }
}
