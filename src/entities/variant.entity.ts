import { DateTimeType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';
import { Product } from './product.entity';

@Entity({ tableName: 'variants' })
export class Variant {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Product, { index: true })
  product!: Product;

  @Property({ type: 'string', length: 100 })
  @Unique()
  sku!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Current catalog price, minor units. */
  @Property(money())
  price!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
