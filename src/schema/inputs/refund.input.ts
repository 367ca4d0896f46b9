import { SafeIntResolver } from 'graphql-scalars';
import { IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class RefundOrderInput {
  @Field(() => ID) @MaxLength(64) orderId!: string;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Minor units; omitted = everything still refundable.' })
  @IsOptional()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number | null;

  @Field() @MinLength(1) @MaxLength(500) reason!: string;

  @Field({ description: 'Same key and same input = the same refund, never a second one.' })
  @MinLength(1)
  @MaxLength(200)
  idempotencyKey!: string;
}
