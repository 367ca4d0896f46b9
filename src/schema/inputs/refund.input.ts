import { SafeIntResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MAX_REFUND_LINES } from '../../services/refunds/refund-lines';

@InputType()
export class RefundLineInput {
  @Field(() => ID) @MaxLength(64) orderLineId!: string;
  @Field(() => Int) @Min(1) @Max(1_000_000_000) quantity!: number;
}

@InputType()
export class RefundOrderInput {
  @Field(() => ID) @MaxLength(64) orderId!: string;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Minor units; omitted = everything still refundable.' })
  @IsOptional()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number | null;

  @Field() @MinLength(1) @MaxLength(500) reason!: string;

  @Field(() => [RefundLineInput], { nullable: true, description: 'Lines being refunded; their licenses are revoked when the refund succeeds.' })
  @IsOptional()
  @ArrayMaxSize(MAX_REFUND_LINES)
  @ValidateNested({ each: true })
  lines?: RefundLineInput[] | null;

  @Field({ description: 'Same key and same input = the same refund, never a second one.' })
  @MinLength(1)
  @MaxLength(200)
  idempotencyKey!: string;
}
