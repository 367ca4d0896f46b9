import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './columns';
import { IdempotencyStatus } from './enums';

/**
 * Claim on an idempotent operation, e.g. scope "checkout", key "<cartId>:<versionKey>".
 * The unique (scope, key) index turns a concurrent duplicate into an insert
 * conflict; a business failure deletes the claim so the buyer can retry.
 */
@Entity({ tableName: 'idempotency_records' })
@Unique({ properties: ['scope', 'key'] })
export class IdempotencyRecord {
  [OptionalProps]?: 'status' | 'resultId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 50 })
  scope!: string;

  @Property({ type: 'string', length: 300 })
  key!: string;

  @Property({ type: 'string', length: 32 })
  status: IdempotencyStatus = IdempotencyStatus.IN_PROGRESS;

  @Property({ type: 'uuid', nullable: true })
  resultId: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
