import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';

@Entity({ tableName: 'sellers' })
export class Seller {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 100 })
  stripeAccountId!: string;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
