import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';
import { PaymentLinkStatus } from './enums';

@Entity({ tableName: 'payment_links' })
export class PaymentLink {
  [OptionalProps]?: 'customerId' | 'status' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Unguessable token in /pay/<token>. */
  @Property({ type: 'string', length: 64 })
  @Unique()
  token!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'uuid', nullable: true })
  customerId: string | null = null;

  @Property({ type: 'string', length: 500 })
  description!: string;

  @Property(money())
  amount!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'string', length: 32 })
  status: PaymentLinkStatus = PaymentLinkStatus.OPEN;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
