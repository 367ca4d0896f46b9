import { Cascade, Collection, DateTimeType, Entity, Index, ManyToOne, OneToMany, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';
import { CartLine } from './cart-line.entity';
import { Customer } from './customer.entity';
import { CartStatus } from './enums';
import { ShippingMethod } from './shipping-method.entity';

export interface AddressValue {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

@Entity({ tableName: 'carts' })
// The cart-cleanup worker finds abandoned carts by status and age.
@Index({ properties: ['status', 'updatedAt'] })
export class Cart {
  [OptionalProps]?:
    | 'status'
    | 'email'
    | 'customer'
    | 'voucherCodes'
    | 'shippingMethod'
    | 'shippingAddress'
    | 'version'
    | 'pricesValidatedAt'
    | 'nextLinePosition'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 32 })
  status: CartStatus = CartStatus.OPEN;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'string', length: 320, nullable: true })
  email: string | null = null;

  @ManyToOne(() => Customer, { nullable: true, index: true })
  customer: Customer | null = null;

  @OneToMany(() => CartLine, (line) => line.cart, { cascade: [Cascade.ALL], orphanRemoval: true, orderBy: { position: 'asc' } })
  lines = new Collection<CartLine>(this);

  @Property({ type: 'json' })
  voucherCodes: string[] = [];

  @ManyToOne(() => ShippingMethod, { nullable: true })
  shippingMethod: ShippingMethod | null = null;

  @Property({ type: 'json', nullable: true })
  shippingAddress: AddressValue | null = null;

  /** Optimistic-lock column: MikroORM increments it on every flushed change. */
  @Property({ version: true, type: 'integer' })
  version: number = 1;

  @Property({ type: DateTimeType, nullable: true })
  pricesValidatedAt: Date | null = null;

  /** Next line position, so lines keep the order the buyer added them in. */
  @Property({ type: 'integer' })
  nextLinePosition: number = 0;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
