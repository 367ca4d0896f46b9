import { DateTimeType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';
import { Seller } from './seller.entity';

@Entity({ tableName: 'products' })
@Index({ properties: ['createdAt', 'id'] })
export class Product {
  [OptionalProps]?: 'seller' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Seller, { nullable: true })
  seller: Seller | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
