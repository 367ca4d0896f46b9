import { IsOptional, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MAX_LINE_QUANTITY } from '../../services/cart/cart.service';
import { MAX_VOUCHER_CODE_LENGTH } from '../../services/vouchers/voucher-codes';
import { ADDRESS_LIMITS } from '../../services/cart/shipping-address';

/** Ids are UUIDs; a longer string is refused as input, a short malformed one answers NOT_FOUND. */
const MAX_ID_LENGTH = 64;

@InputType()
export class CreateCartInput {
  @Field({ description: 'ISO 4217 code.' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'Required for guest carts before checkout.' })
  @IsOptional()
  @MaxLength(320)
  @Matches(/^\s*[^\s@]+@[^\s@]+\.[^\s@]+\s*$/, { message: 'email must be a valid email address' })
  email?: string | null;
}

@InputType()
export class AddCartLineInput {
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) cartId!: string;
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) variantId!: string;
  @Field(() => Int) @Min(1) @Max(MAX_LINE_QUANTITY) quantity!: number;
}

@InputType()
export class UpdateCartLineInput {
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) cartId!: string;
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) lineId!: string;
  @Field(() => Int, { description: '0 removes the line.' }) @Min(0) @Max(MAX_LINE_QUANTITY) quantity!: number;
}

@InputType()
export class SetShippingMethodInput {
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) cartId!: string;
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) shippingMethodId!: string;
}

@InputType()
export class AddressInput {
  @Field() @MaxLength(ADDRESS_LIMITS.name) name!: string;
  @Field() @MaxLength(ADDRESS_LIMITS.line1) line1!: string;
  @Field() @MaxLength(ADDRESS_LIMITS.city) city!: string;
  @Field() @MaxLength(ADDRESS_LIMITS.postalCode) postalCode!: string;
  // Room for surrounding spaces; the service trims, upper-cases and checks the code itself.
  @Field() @MaxLength(8) country!: string;
}

@InputType()
export class SetShippingAddressInput {
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) cartId!: string;
  @Field(() => AddressInput) @ValidateNested() address!: AddressInput;
}

@InputType()
export class CartVoucherInput {
  @Field(() => ID) @MaxLength(MAX_ID_LENGTH) cartId!: string;
  @Field() @MaxLength(MAX_VOUCHER_CODE_LENGTH) code!: string;
}
