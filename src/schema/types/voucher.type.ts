import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { VoucherKind, type Voucher } from '../../entities';

registerEnumType(VoucherKind, {
  name: 'VoucherKind',
  valuesConfig: {
    PERCENT_OFF: { description: 'value = basis points off the merchandise subtotal (1000 = 10%).' },
    AMOUNT_OFF: { description: 'value = minor units off the merchandise subtotal.' },
    FREE_SHIPPING: { description: 'Shipping becomes free.' },
    CREDIT: { description: 'value = minor units of store credit granted to the redeeming customer.' },
  },
});

@ObjectType('Voucher')
export class VoucherType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field(() => VoucherKind) kind!: VoucherKind;
  @Field(() => SafeIntResolver) value!: number;
  @Field(() => String, { nullable: true }) currency!: string | null;

  @Field(() => Int, { nullable: true, description: 'Total redemptions allowed, null = unlimited.' })
  maxRedemptions!: number | null;

  @Field(() => Int, { nullable: true, description: 'Redemptions allowed per customer, null = unlimited.' })
  perCustomerLimit!: number | null;

  @Field(() => Int, { description: 'HELD + CONSUMED redemptions.' })
  timesRedeemed!: number;

  @Field(() => Date, { nullable: true }) startsAt!: Date | null;
  @Field(() => Date, { nullable: true }) endsAt!: Date | null;
  @Field(() => SafeIntResolver, { nullable: true }) minSubtotal!: number | null;

  static from(voucher: Voucher): VoucherType {
    return Object.assign(new VoucherType(), {
      id: voucher.id,
      code: voucher.code,
      kind: voucher.kind,
      value: voucher.value,
      currency: voucher.currency,
      maxRedemptions: voucher.maxRedemptions,
      perCustomerLimit: voucher.perCustomerLimit,
      timesRedeemed: voucher.redemptionCount,
      startsAt: voucher.startsAt,
      endsAt: voucher.endsAt,
      minSubtotal: voucher.minSubtotal,
    });
  }
}
