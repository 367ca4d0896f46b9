import { IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { PaymentMethodKind } from '../../entities';
// Registers the PaymentMethodKind enum with the schema (order.type.ts owns the registration).
import '../types/order.type';

@InputType()
export class StartCheckoutInput {
  @Field(() => ID) @MaxLength(64) cartId!: string;
}

@InputType()
export class ConfirmCheckoutInput {
  @Field(() => ID) @MaxLength(64) cartId!: string;

  @Field({ description: 'The cart versionKey the buyer saw. A different current key gives CART_VERSION_MISMATCH.' })
  @MaxLength(128)
  versionKey!: string;

  @Field(() => PaymentMethodKind) paymentMethod!: PaymentMethodKind;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Spend store credit first; the rest goes to paymentMethod.' })
  useCredit?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Stripe payment method id (pm_...) for CARD.' })
  @IsOptional()
  @MaxLength(255)
  stripePaymentMethodId?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Accept prices that moved beyond the allowed drift (after a PriceChangedError).' })
  acknowledgePriceChange?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Where HOSTED_CHECKOUT returns the buyer.' })
  @IsOptional()
  @MaxLength(2048)
  returnUrl?: string | null;
}

@InputType()
export class CancelOrderInput {
  @Field(() => ID) @MaxLength(64) orderId!: string;
  @Field() @MinLength(1) @MaxLength(500) reason!: string;

  @Field(() => ID, { nullable: true, description: "A guest's proof of ownership: the id of the cart the order was placed from. Not needed when signed in." })
  @IsOptional()
  @MaxLength(64)
  cartId?: string | null;

  @Field(() => String, { nullable: true, description: "A guest's proof of ownership: the orderToken its confirmation answered. Not needed when signed in." })
  @IsOptional()
  @MaxLength(200)
  orderToken?: string | null;
}

@InputType()
export class RedeemVoucherInput {
  @Field() @MinLength(1) @MaxLength(64) code!: string;
}
