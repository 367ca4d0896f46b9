import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { BillingInterval, VariantKind } from '../../entities';

/** Shared limits: the entity columns' lengths, and sane ceilings for counts. */
export const NAME_MAX = 200;
export const SKU_MAX = 100;
export const MAX_UNITS = 1_000_000_000;
export const MAX_VARIANTS_PER_PRODUCT = 50;
/** The most intervals a plan may renew after (every 365 days at most, for a DAY plan). */
export const MAX_BILLING_INTERVAL_COUNT = 365;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const NOT_BLANK = /\S/;
const currencyMessage = { message: 'currency must be an ISO 4217 code of three upper-case letters, e.g. EUR' };
const notBlank = { message: '$property must not be blank' };

@InputType()
export class VariantInput {
  @Field()
  @MaxLength(SKU_MAX)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, { message: 'sku may use letters, digits and . _ - / only' })
  sku!: string;

  @Field()
  @MaxLength(NAME_MAX)
  @Matches(NOT_BLANK, notBlank)
  name!: string;

  @Field(() => SafeIntResolver, { description: 'Minor units.' })
  @Min(0)
  price!: number;

  @Field()
  @MaxLength(3)
  @Matches(CURRENCY_PATTERN, currencyMessage)
  currency!: string;

  @Field(() => Int, { description: 'Initial units on hand in the default warehouse.' })
  @Min(0)
  @Max(MAX_UNITS)
  stock!: number;

  @Field(() => VariantKind, { nullable: true, description: 'Default PHYSICAL. DIGITAL variants and plans (SUBSCRIPTION) have no stock.' })
  @IsOptional()
  kind?: VariantKind | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(MAX_UNITS)
  maxLicenses?: number | null;

  @Field(() => BillingInterval, { nullable: true, description: 'Required for SUBSCRIPTION.' })
  @IsOptional()
  billingInterval?: BillingInterval | null;

  @Field(() => Int, { nullable: true, description: 'Default 1.' })
  @IsOptional()
  @Min(1)
  @Max(MAX_BILLING_INTERVAL_COUNT)
  billingIntervalCount?: number | null;
}

@InputType()
export class CreateProductInput {
  @Field()
  @MaxLength(NAME_MAX)
  @Matches(NOT_BLANK, notBlank)
  name!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  sellerId?: string | null;

  @Field(() => [VariantInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_VARIANTS_PER_PRODUCT)
  @ValidateNested({ each: true })
  variants!: VariantInput[];
}

@InputType()
export class SetVariantPriceInput {
  @Field(() => ID) @MaxLength(64) variantId!: string;
  @Field(() => SafeIntResolver) @Min(0) price!: number;
}

@InputType()
export class SetStockInput {
  @Field(() => ID) @MaxLength(64) variantId!: string;

  @Field(() => ID, { nullable: true, description: 'Defaults to the default warehouse.' })
  @IsOptional()
  @MaxLength(64)
  warehouseId?: string | null;

  @Field(() => Int)
  @Min(0)
  @Max(MAX_UNITS)
  onHand!: number;
}

@InputType()
export class CreateSellerInput {
  @Field()
  @MaxLength(NAME_MAX)
  @Matches(NOT_BLANK, notBlank)
  name!: string;

  @Field({ description: 'Stripe Connect account id (acct_...) that receives transfers.' })
  @MaxLength(100)
  @Matches(/^acct_[A-Za-z0-9]+$/, { message: 'stripeAccountId must look like acct_...' })
  stripeAccountId!: string;
}

@InputType()
export class CreateShippingMethodInput {
  @Field()
  @MaxLength(NAME_MAX)
  @Matches(NOT_BLANK, notBlank)
  name!: string;

  @Field(() => SafeIntResolver)
  @Min(0)
  price!: number;

  @Field()
  @MaxLength(3)
  @Matches(CURRENCY_PATTERN, currencyMessage)
  currency!: string;
}
