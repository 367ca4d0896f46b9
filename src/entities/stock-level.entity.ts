import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './columns';
import { Variant } from './variant.entity';
import { Warehouse } from './warehouse.entity';

/** Units physically on hand for one variant in one warehouse. Row-locked when reserving. */
@Entity({ tableName: 'stock_levels' })
@Unique({ properties: ['variant', 'warehouse'] })
export class StockLevel {
  [OptionalProps]?: 'onHand';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Variant, { index: true })
  variant!: Variant;

  @ManyToOne(() => Warehouse)
  warehouse!: Warehouse;

  @Property({ type: 'integer' })
  onHand: number = 0;
}
