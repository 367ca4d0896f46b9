import { DateTimeType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';
import { BillingInterval, VariantKind } from './enums';
import { Product } from './product.entity';

@Entity({ tableName: 'variants' })
export class Variant {
  [OptionalProps]?: 'createdAt' | 'kind' | 'maxLicenses' | 'licensesClaimed' | 'billingInterval' | 'billingIntervalCount';

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

  /** DIGITAL variants have no stock rows and never reserve; each unit sold is a license. SUBSCRIPTION variants are plans (no stock either). Fixed at creation. */
  @Property({ type: 'string', length: 16, default: VariantKind.PHYSICAL })
  kind: VariantKind = VariantKind.PHYSICAL;

  /** DIGITAL only: licenses that may ever be issued; null = unlimited. */
  @Property({ type: 'integer', nullable: true })
  maxLicenses: number | null = null;

  /**
   * License units taken by orders that are placed or may still be: raised by a
   * guarded update at confirm (never past maxLicenses), lowered only when an
   * order that never got placed is cancelled (db/stores/license-store.ts).
   */
  @Property({ type: 'integer', default: 0 })
  licensesClaimed: number = 0;

  /** SUBSCRIPTION only: how often the plan renews; null for every other kind. */
  @Property({ type: 'string', length: 8, nullable: true })
  billingInterval: BillingInterval | null = null;

  /** SUBSCRIPTION only: renews every billingIntervalCount intervals (1 or more); null for every other kind. */
  @Property({ type: 'integer', nullable: true })
  billingIntervalCount: number | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
