import { Collection, DateTimeType, Entity, Index, OneToMany, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { AddressValue } from './cart.entity';
import { money, newId } from './columns';
import { OrderStatus, PaymentMethodKind } from './enums';
import { OrderLine } from './order-line.entity';

/** A confirmed checkout: a full snapshot, so later catalog changes never alter it. */
@Entity({ tableName: 'orders' })
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['customerId', 'createdAt'] })
// The payout planner's work list: placed orders it has not handled yet (transfer-planner.ts).
@Index({ properties: ['payoutsPlannedAt', 'placedAt', 'id'] })
export class Order {
  [OptionalProps]?:
    | 'status'
    | 'customerId'
    | 'cartId'
    | 'cartVersionKey'
    | 'paymentLinkId'
    | 'subscriptionId'
    | 'voucherCodes'
    | 'shippingMethodId'
    | 'shippingMethodName'
    | 'shippingAddress'
    | 'cancelReason'
    | 'createdAt'
    | 'placedAt'
    | 'cancelledAt'
    | 'payoutsPlannedAt'
    | 'subtotal'
    | 'discount'
    | 'shipping'
    | 'shippingDiscount'
    | 'tax'
    | 'total'
    | 'creditApplied'
    | 'amountDue'
    | 'refunded'
    | 'digitalUnits';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 32 })
  @Unique()
  number!: string;

  @Property({ type: 'string', length: 32 })
  status: OrderStatus = OrderStatus.PENDING_PAYMENT;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'uuid', nullable: true })
  customerId: string | null = null;

  @Property({ type: 'uuid', nullable: true, index: true })
  cartId: string | null = null;

  @Property({ type: 'string', length: 128, nullable: true })
  cartVersionKey: string | null = null;

  @Property({ type: 'uuid', nullable: true, index: true })
  paymentLinkId: string | null = null;

  /** The subscription this order starts (the plan's checkout) or renews; null for any other order. */
  @Property({ type: 'uuid', nullable: true, index: true })
  subscriptionId: string | null = null;

  @Property({ type: 'string', length: 32 })
  paymentKind!: PaymentMethodKind;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @OneToMany(() => OrderLine, (line) => line.order, { orderBy: { position: 'asc' } })
  lines = new Collection<OrderLine>(this);

  @Property({ type: 'json' })
  voucherCodes: string[] = [];

  @Property({ type: 'uuid', nullable: true })
  shippingMethodId: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  shippingMethodName: string | null = null;

  @Property({ type: 'json', nullable: true })
  shippingAddress: AddressValue | null = null;

  @Property(money()) subtotal: number = 0;
  @Property(money()) discount: number = 0;
  @Property(money()) shipping: number = 0;
  @Property(money()) shippingDiscount: number = 0;
  @Property(money()) tax: number = 0;
  @Property(money()) total: number = 0;
  @Property(money()) creditApplied: number = 0;
  @Property(money()) amountDue: number = 0;
  @Property(money()) refunded: number = 0;

  /** Units on DIGITAL lines: 0 lets placement and cancellation skip licenses without a look-up. */
  @Property({ type: 'integer', default: 0 })
  digitalUnits: number = 0;

  @Property({ type: 'string', length: 500, nullable: true })
  cancelReason: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, nullable: true })
  placedAt: Date | null = null;

  @Property({ type: DateTimeType, nullable: true })
  cancelledAt: Date | null = null;

  /** When the payout planner handled this placed order, whether or not it owed any seller a transfer; null = not yet. */
  @Property({ type: DateTimeType, nullable: true })
  payoutsPlannedAt: Date | null = null;
}
