import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';
import { RefundStatus } from './enums';

export interface RefundedLine {
  orderLineId: string;
  quantity: number;
}

@Entity({ tableName: 'refunds' })
@Unique({ properties: ['idempotencyKey'] })
@Index({
  name: 'refunds_provider_refund_id_unique',
  expression: 'create unique index refunds_provider_refund_id_unique on refunds (provider_refund_id) where provider_refund_id is not null',
})
export class Refund {
  [OptionalProps]?: 'providerAmount' | 'status' | 'providerRefundId' | 'createdAt' | 'settledAt' | 'lines';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid', index: true })
  orderId!: string;

  @Property({ type: 'string', length: 200 })
  idempotencyKey!: string;

  @Property(money())
  amount!: number;

  /** Part of `amount` returned to the card; the rest goes to store credit. */
  @Property(money())
  providerAmount: number = 0;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'string', length: 32 })
  status: RefundStatus = RefundStatus.PENDING;

  @Property({ type: 'string', length: 500 })
  reason!: string;

  /** The order lines (and units of each) this refund gives back; null = an order-level refund. Their licenses are revoked when it succeeds. */
  @Property({ type: 'json', nullable: true })
  lines: RefundedLine[] | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  providerRefundId: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, nullable: true })
  settledAt: Date | null = null;
}
