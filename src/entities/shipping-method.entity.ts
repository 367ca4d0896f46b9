import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { money, newId } from './columns';

@Entity({ tableName: 'shipping_methods' })
export class ShippingMethod {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property(money())
  price!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;
}
