import { DateTimeType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';
import { ReservationStatus } from './enums';
import { Variant } from './variant.entity';

/**
 * Units promised to one cart's checkout. available = on hand - ACTIVE reservations
 * that have not expired; expiry is enforced server-side by the reservation worker
 * and by every availability read.
 */
@Entity({ tableName: 'reservations' })
@Index({ properties: ['variant', 'status', 'expiresAt'] })
// Expiry and cleanup look reservations up by status and expiry across all variants.
@Index({ properties: ['status', 'expiresAt'] })
// startCheckout counts the units one client holds (db/stores: the stock store's reserve).
@Index({ properties: ['heldBy', 'status', 'expiresAt'] })
export class Reservation {
  [OptionalProps]?: 'status' | 'orderId' | 'heldBy' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid' })
  @Index()
  cartId!: string;

  @ManyToOne(() => Variant)
  variant!: Variant;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'string', length: 32 })
  status: ReservationStatus = ReservationStatus.ACTIVE;

  @Property({ type: DateTimeType })
  expiresAt!: Date;

  @Property({ type: 'uuid', nullable: true })
  orderId: string | null = null;

  /**
   * The client whose startCheckout took the hold, as its units are capped:
   * `customer:<id>` when signed in, else `address:<keyed digest of the client
   * address>`. Null for units reserved by confirmCheckout itself.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  heldBy: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
