import { DateTimeType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { money, newId } from './columns';
import { RedemptionStatus } from './enums';
import { Voucher } from './voucher.entity';

/**
 * One use of a voucher. `slot` numbers a customer's uses 1..perCustomerLimit; the
 * partial unique index over (voucher, customerKey, slot) for live rows makes the
 * database refuse a use beyond the per-customer limit, whatever the concurrency.
 * RELEASED rows stay for the audit trail and free their slot.
 */
@Entity({ tableName: 'voucher_redemptions' })
@Index({
  name: 'voucher_redemptions_live_slot_unique',
  expression: "create unique index voucher_redemptions_live_slot_unique on voucher_redemptions (voucher_id, customer_key, slot) where status <> 'RELEASED'",
})
export class VoucherRedemption {
  [OptionalProps]?: 'status' | 'orderId' | 'creditGranted' | 'creditCurrency' | 'createdAt' | 'releasedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Voucher, { index: true })
  voucher!: Voucher;

  /** customer id, or "email:<lower-cased email>" for guests. */
  @Property({ type: 'string', length: 340 })
  customerKey!: string;

  @Property({ type: 'integer' })
  slot!: number;

  @Property({ type: 'string', length: 32 })
  status: RedemptionStatus = RedemptionStatus.HELD;

  @Property({ type: 'uuid', nullable: true, index: true })
  orderId: string | null = null;

  @Property({ ...money(), nullable: true })
  creditGranted: number | null = null;

  @Property({ type: 'string', length: 3, nullable: true })
  creditCurrency: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, nullable: true })
  releasedAt: Date | null = null;
}
