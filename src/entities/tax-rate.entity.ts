import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Tax rate of a destination country (ISO 3166-1 alpha-2), in basis points. */
@Entity({ tableName: 'tax_rates' })
export class TaxRate {
  @PrimaryKey({ type: 'string', length: 2 })
  country!: string;

  @Property({ type: 'integer' })
  rateBps!: number;
}
