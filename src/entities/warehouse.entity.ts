import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';

@Entity({ tableName: 'warehouses' })
export class Warehouse {
  [OptionalProps]?: 'isDefault';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'boolean' })
  isDefault: boolean = false;
}
