import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Cart } from './cart.entity';
import { money, newId } from './columns';
import { Variant } from './variant.entity';

@Entity({ tableName: 'cart_lines' })
@Unique({ properties: ['cart', 'variant'] })
export class CartLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne('Cart')
  cart!: Cart;

  @ManyToOne(() => Variant)
  variant!: Variant;

  @Property({ type: 'integer' })
  quantity!: number;

  /** The unit price the buyer was last shown (stamped when prices are validated). */
  @Property(money())
  unitPrice!: number;

  @Property({ type: 'integer' })
  position!: number;
}
