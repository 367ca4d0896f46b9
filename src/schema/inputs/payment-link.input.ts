import { SafeIntResolver } from 'graphql-scalars';
import { IsEmail, IsOptional, Length, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreatePaymentLinkInput {
  @Field() @IsEmail() @MaxLength(320) email!: string;

  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(64) customerId?: string | null;

  @Field() @MinLength(1) @MaxLength(500) description!: string;

  @Field(() => SafeIntResolver) @Min(1) @Max(Number.MAX_SAFE_INTEGER) amount!: number;

  @Field() @Length(3, 3) currency!: string;
}
