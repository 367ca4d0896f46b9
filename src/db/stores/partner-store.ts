import { dateOrNull } from '../sql/row-values';
import type { UnitOfWork } from '../unit-of-work';

/** A partner key as authentication needs it: the stored secret's hash and salt, and whose key it is. */
export interface PartnerKeyRecord {
  id: string;
  partnerId: string;
  partnerName: string;
  salt: string;
  secretHash: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Partners and their API keys. */
export interface PartnerStore {
  /** The key with this (non-secret, unique) prefix and its partner's name, or null: one indexed read, nothing cached. */
  keyByPrefix(uow: UnitOfWork, prefix: string): Promise<PartnerKeyRecord | null>;
}

interface KeyRow {
  id: string;
  partner_id: string;
  name: string;
  salt: string;
  secret_hash: string;
  revoked_at: unknown;
  last_used_at: unknown;
}

/** The same statement on both dialects. */
export class SqlPartnerStore implements PartnerStore {
  async keyByPrefix(uow: UnitOfWork, prefix: string): Promise<PartnerKeyRecord | null> {
    const [row] = await uow.sql.rows<KeyRow>(
      'select k.id, k.partner_id, k.salt, k.secret_hash, k.revoked_at, k.last_used_at, p.name from partner_keys k join partners p on p.id = k.partner_id where k.prefix = ?',
      [prefix],
    );
    if (!row) return null;
    return {
      id: row.id,
      partnerId: row.partner_id,
      partnerName: row.name,
      salt: row.salt,
      secretHash: row.secret_hash,
      revokedAt: dateOrNull(row.revoked_at),
      lastUsedAt: dateOrNull(row.last_used_at),
    };
  }
}
