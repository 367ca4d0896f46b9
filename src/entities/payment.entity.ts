import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { money, newId } from './columns';
import { PaymentMethodKind, PaymentStatus } from './enums';

@Entity({ tableName: 'payments' })
@Index({
  name: 'payments_provider_reference_unique',
  expression: 'create unique index payments_provider_reference_unique on payments (provider_reference) where provider_reference is not null',
})
export class Payment {
  [OptionalProps]?: 'status' | 'captured' | 'providerReference' | 'providerPaymentIntentId' | 'clientSecret' | 'checkoutUrl' | 'expiresAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid', index: true })
  orderId!: string;

  @Property({ type: 'string', length: 32 })
  kind!: PaymentMethodKind;

  @Property({ type: 'string', length: 32 })
  status: PaymentStatus = PaymentStatus.PENDING;

  @Property(money())
  amount!: number;

  @Property(money())
  captured: number = 0;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** pi_... or cs_... */
  @Property({ type: 'string', length: 255, nullable: true })
  providerReference: string | null = null;

  /** The PaymentIntent behind a Checkout Session, once known. */
  @Property({ type: 'string', length: 255, nullable: true })
  providerPaymentIntentId: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  clientSecret: string | null = null;

  @Property({ type: 'text', nullable: true })
  checkoutUrl: string | null = null;

  @Property({ type: DateTimeType, nullable: true })
  expiresAt: Date | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
