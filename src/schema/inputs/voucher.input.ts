import { IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import { VoucherKind } from '../../entities';
import '../types/voucher.type';
import { CURRENCY_PATTERN, MAX_UNITS } from './catalog.input';

export const VOUCHER_CODE_MAX = 64;

@InputType()
export class CreateVoucherInput {
  @Field()
  @MaxLength(VOUCHER_CODE_MAX)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'code may use letters, digits, _ and - only' })
  code!: string;

  @Field(() => VoucherKind)
  kind!: VoucherKind;

  /** Per-kind rules (bps range, positive amounts) live in the voucher admin service. */
  @Field(() => SafeIntResolver)
  @Min(0)
  value!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(3)
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code of three upper-case letters, e.g. EUR' })
  currency?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(MAX_UNITS)
  maxRedemptions?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(MAX_UNITS)
  perCustomerLimit?: number | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => SafeIntResolver, { nullable: true })
  @IsOptional()
  @Min(0)
  minSubtotal?: number | null;
}
