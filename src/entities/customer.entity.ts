import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './columns';
import { Role } from './enums';

@Entity({ tableName: 'customers' })
export class Customer {
  [OptionalProps]?: 'role' | 'tokenVersion' | 'stripeCustomerId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Stored lower-cased, so uniqueness is case-insensitive. */
  @Property({ type: 'string', length: 320 })
  @Unique()
  email!: string;

  @Property({ type: 'string', length: 200, hidden: true })
  passwordHash!: string;

  @Property({ type: 'string', length: 32 })
  role: Role = Role.CUSTOMER;

  /**
   * Signed into every token; a token carrying another version is refused.
   * Raising it (revokeTokens, a new password) ends every session at once.
   */
  @Property({ type: 'integer', default: 0 })
  tokenVersion: number = 0;

  /**
   * The Stripe Customer (cus_…) made for this customer's first plan, with a key
   * derived from this row's id: created once, then reused for every plan.
   */
  @Property({ type: 'string', length: 255, nullable: true })
  stripeCustomerId: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
