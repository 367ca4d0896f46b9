import type { EntityManager } from '../../db/orm';
import { PartnerKey } from '../../entities';
import type { AppDeps } from '../app-deps';
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

/**
 * The partner of a key, or null when the key is malformed, unknown, revoked or
 * its secret differs. Read from the database on every request: nothing is
 * cached, so a revocation is refused by every gateway process from the next
 * request on. The key is looked up by its non-secret prefix, then the hash of
 * the secret is compared in constant time.
 */
export async function authenticatePartnerKey(
  deps: Pick<AppDeps, 'db' | 'stores'>,
  em: EntityManager,
  key: string,
  now: Date,
): Promise<AuthenticatedPartner | null> {
  const parts = splitKey(key);
  if (!parts) return null;
  const found = await deps.stores.partners.keyByPrefix(deps.db.unitOfWork(em), parts.prefix);
  if (!found || !secretMatches(parts.secret, found) || found.revokedAt !== null) return null;
  if (found.lastUsedAt === null || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) await touchKey(em, found.id, now);
  return { partnerId: found.partnerId, name: found.partnerName, keyId: found.id };
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
