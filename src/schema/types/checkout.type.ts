import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { RedemptionStatus, type VoucherRedemption } from '../../entities';
import { CartType } from './cart.type';
import { Money } from './common.type';
import { OrderType, PaymentType } from './order.type';
import { VoucherType } from './voucher.type';

registerEnumType(RedemptionStatus, {
  name: 'RedemptionStatus',
  valuesConfig: {
    HELD: { description: 'Counted against the caps while a checkout that uses it is in flight.' },
    CONSUMED: { description: 'Kept for good: its order was placed, or the credit was granted.' },
    RELEASED: { description: 'Given back by a compensation; kept for the audit trail, no longer counted.' },
  },
});

@ObjectType('CheckoutPreview')
export class CheckoutPreviewType {
  @Field(() => CartType) cart!: CartType;
  @Field({ description: 'The key to pass to confirmCheckout.' }) versionKey!: string;
  @Field() reservationsExpireAt!: Date;
  @Field(() => [String], { description: 'Human-readable notices, e.g. prices that moved within the allowed drift.' }) warnings!: string[];
}

@ObjectType('CheckoutConfirmation')
export class CheckoutConfirmationType {
  @Field(() => OrderType) order!: OrderType;
  @Field(() => PaymentType, { nullable: true }) payment!: PaymentType | null;
  @Field({ description: 'True when this versionKey was confirmed before and the earlier result is returned.' }) replayed!: boolean;
  @Field({ description: 'Capability for this one order: whoever holds it may read the order with orderByToken.' }) orderToken!: string;
}

/** `order` is a field resolver (voucher-redemption.resolver.ts) reading `orderId`. */
@ObjectType('VoucherRedemption')
export class VoucherRedemptionType {
  @Field(() => ID) id!: string;
  @Field(() => VoucherType) voucher!: VoucherType;
  @Field(() => RedemptionStatus) status!: RedemptionStatus;
  @Field(() => Money, { nullable: true, description: 'Store credit this redemption granted (CREDIT vouchers).' }) creditGranted!: Money | null;

  orderId!: string | null;

  /** Expects the redemption loaded with its voucher. */
  static from(redemption: VoucherRedemption): VoucherRedemptionType {
    return Object.assign(new VoucherRedemptionType(), {
      id: redemption.id,
      voucher: VoucherType.from(redemption.voucher),
      status: redemption.status,
      creditGranted: redemption.creditGranted !== null && redemption.creditCurrency ? Money.of(redemption.creditGranted, redemption.creditCurrency) : null,
      orderId: redemption.orderId,
    });
  }
}
