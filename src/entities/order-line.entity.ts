import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { money, newId } from './columns';
import { VariantKind } from './enums';
import type { Order } from './order.entity';

@Entity({ tableName: 'order_lines' })
export class OrderLine {
  [OptionalProps]?: 'sellerId' | 'kind';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne('Order', { index: true })
  order!: Order;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'uuid' })
  variantId!: string;

  @Property({ type: 'uuid', nullable: true })
  sellerId: string | null = null;

  @Property({ type: 'string', length: 100 })
  sku!: string;

  /** The variant's kind when ordered: a DIGITAL line gets one license per unit when the order is placed. */
  @Property({ type: 'string', length: 16, default: VariantKind.PHYSICAL })
  kind: VariantKind = VariantKind.PHYSICAL;

  @Property({ type: 'string', length: 400 })
  name!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property(money()) unitPrice!: number;
  @Property(money()) discount!: number;
  /** quantity x unitPrice - discount, before tax. */
  @Property(money()) total!: number;
  @Property(money()) tax!: number;
}
