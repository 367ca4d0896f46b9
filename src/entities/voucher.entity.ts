import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';
import { VoucherKind } from './enums';

@Entity({ tableName: 'vouchers' })
export class Voucher {
  [OptionalProps]?: 'currency' | 'maxRedemptions' | 'perCustomerLimit' | 'redemptionCount' | 'startsAt' | 'endsAt' | 'minSubtotal' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Upper-cased on write; codes match case-insensitively. */
  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  @Property({ type: 'string', length: 32 })
  kind!: VoucherKind;

  @Property(money())
  value!: number;

  @Property({ type: 'string', length: 3, nullable: true })
  currency: string | null = null;

  @Property({ type: 'integer', nullable: true })
  maxRedemptions: number | null = null;

  @Property({ type: 'integer', nullable: true })
  perCustomerLimit: number | null = null;

  /**
   * HELD + CONSUMED redemptions, maintained by conditional updates
   * (`... WHERE redemption_count < max_redemptions`), so the cap holds under concurrency.
   */
  @Property({ type: 'integer' })
  redemptionCount: number = 0;

  @Property({ type: DateTimeType, nullable: true })
  startsAt: Date | null = null;

  @Property({ type: DateTimeType, nullable: true })
  endsAt: Date | null = null;

  @Property({ ...money(), nullable: true })
  minSubtotal: number | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
