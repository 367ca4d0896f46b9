import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';
import { TransferStatus } from './enums';

@Entity({ tableName: 'seller_transfers' })
@Unique({ properties: ['orderId', 'sellerId'] })
@Index({ properties: ['status', 'nextRetryAt'] })
export class SellerTransfer {
  [OptionalProps]?:
    | 'reversedAmount'
    | 'pendingReversalAmount'
    | 'pendingReversalRefundId'
    | 'status'
    | 'stripeTransferId'
    | 'stripeReversalId'
    | 'retryCount'
    | 'nextRetryAt'
    | 'lastError'
    | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid' })
  orderId!: string;

  @Property({ type: 'uuid' })
  sellerId!: string;

  @Property(money())
  amount!: number;

  @Property(money())
  reversedAmount: number = 0;

  /** Amount awaiting reversal while REVERSAL_PENDING. */
  @Property(money())
  pendingReversalAmount: number = 0;

  @Property({ type: 'uuid', nullable: true })
  pendingReversalRefundId: string | null = null;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'string', length: 32 })
  status: TransferStatus = TransferStatus.PENDING;

  @Property({ type: 'string', length: 255, nullable: true })
  stripeTransferId: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  stripeReversalId: string | null = null;

  @Property({ type: 'integer' })
  retryCount: number = 0;

  @Property({ type: DateTimeType, nullable: true })
  nextRetryAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
