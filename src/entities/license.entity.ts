import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './columns';
import { LicenseStatus } from './enums';

/**
 * One license per unit of a DIGITAL order line, issued when the order is
 * placed. `(orderLineId, unitIndex)` is unique, so a replayed placement can
 * never issue a second one; the key is unique so verifyLicense finds it.
 */
@Entity({ tableName: 'licenses' })
@Unique({ properties: ['orderLineId', 'unitIndex'] })
@Index({ properties: ['customerId', 'issuedAt'] })
export class License {
  [OptionalProps]?: 'status' | 'customerId' | 'revokedAt' | 'revokedByRefundId';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /**
   * The secret itself (at least 128 random bits), not a hash: its owner must be
   * able to read it again at any time (Order.licenses), and a hash cannot be shown back.
   */
  @Property({ type: 'string', length: 64 })
  @Unique()
  key!: string;

  @Property({ type: 'uuid', index: true })
  orderId!: string;

  @Property({ type: 'uuid' })
  orderLineId!: string;

  /** 0-based unit of the line: higher = issued later ("newest first" when revoking). */
  @Property({ type: 'integer' })
  unitIndex!: number;

  @Property({ type: 'uuid' })
  variantId!: string;

  @Property({ type: 'uuid', nullable: true })
  customerId: string | null = null;

  @Property({ type: 'string', length: 16 })
  status: LicenseStatus = LicenseStatus.ACTIVE;

  @Property({ type: DateTimeType })
  issuedAt!: Date;

  @Property({ type: DateTimeType, nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  revokedByRefundId: string | null = null;
}
