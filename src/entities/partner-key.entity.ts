import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './columns';

/**
 * One API key of a partner. The secret is never stored: only a SHA-256 of it
 * under a salt of its own. `prefix` is the non-secret first part of the key,
 * by which a request's key is looked up before its secret is compared.
 *
 * At most two keys of a partner are active, so a key can be rotated without
 * downtime: an active key holds slot 1 or 2, a revoked one none, and the unique
 * (partner_id, active_slot) index lets the database refuse a third (NULLs never
 * collide, on PostgreSQL and SQLite alike).
 */
@Entity({ tableName: 'partner_keys' })
@Unique({ name: 'partner_keys_active_slot_unique', properties: ['partnerId', 'activeSlot'] })
export class PartnerKey {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'activeSlot';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid', index: true })
  partnerId!: string;

  @Property({ type: 'string', length: 32, unique: 'partner_keys_prefix_unique' })
  prefix!: string;

  @Property({ type: 'string', length: 32 })
  salt!: string;

  /** Hex SHA-256 of salt and secret. */
  @Property({ type: 'string', length: 64 })
  secretHash!: string;

  /** 1 or 2 while the key is active; null once revoked. */
  @Property({ type: 'smallint', nullable: true })
  activeSlot: number | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: DateTimeType, nullable: true })
  revokedAt: Date | null = null;
}
