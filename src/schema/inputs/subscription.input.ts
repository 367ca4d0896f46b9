import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SubscriptionStatus } from '../../entities';

@InputType()
export class CancelSubscriptionInput {
  @Field(() => ID)
  @MaxLength(64)
  subscriptionId!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'Default true: access lasts to the end of the paid period; false ends it now (no refund is made here).',
  })
  @IsOptional()
  atPeriodEnd?: boolean | null;
}

@InputType()
export class ResumeSubscriptionInput {
  @Field(() => ID)
  @MaxLength(64)
  subscriptionId!: string;
}

@InputType()
export class SubscriptionsFilter {
  @Field(() => SubscriptionStatus, { nullable: true })
  @IsOptional()
  status?: SubscriptionStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  customerId?: string | null;
}
