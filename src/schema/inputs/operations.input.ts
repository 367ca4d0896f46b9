import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { OutboxEventStatus, SagaStatus, TransferStatus } from '../../entities';
import { MAX_ADMIN_PAGE_SIZE } from '../../services/operations/admin-page';

const DEFAULT_ADMIN_PAGE_SIZE = 20;

/** first/after of the operator lists; a bad value is a clean BAD_USER_INPUT. */
@ArgsType()
class AdminPageArgs {
  // Nullable with a default, as in the contract; an explicit null means the default.
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_ADMIN_PAGE_SIZE })
  @IsOptional()
  @Min(0)
  @Max(MAX_ADMIN_PAGE_SIZE)
  first?: number | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  after?: string | null;
}

@ArgsType()
export class SagaListArgs extends AdminPageArgs {
  @Field(() => SagaStatus, { nullable: true })
  status?: SagaStatus | null;

  @Field(() => Boolean, { nullable: true })
  stuck?: boolean | null;
}

@ArgsType()
export class OutboxEventListArgs extends AdminPageArgs {
  @Field(() => OutboxEventStatus, { nullable: true, description: 'Omitted: the DEAD events and the PENDING ones that have failed at least once.' })
  status?: OutboxEventStatus | null;
}

@ArgsType()
export class SellerTransferListArgs extends AdminPageArgs {
  @Field(() => TransferStatus, {
    nullable: true,
    description: 'Omitted: FAILED and PERMANENTLY_FAILED transfers, and reversals that have failed at least once.',
  })
  status?: TransferStatus | null;
}

@InputType()
export class RecoverSagaInput {
  @Field(() => ID) @MaxLength(64) id!: string;
}

@InputType()
export class ReplayOutboxEventInput {
  @Field(() => ID) @MaxLength(64) id!: string;
}

@InputType()
export class RetrySellerTransferInput {
  @Field(() => ID) @MaxLength(64) id!: string;
}

export const adminPage = (args: AdminPageArgs) => ({ first: args.first ?? DEFAULT_ADMIN_PAGE_SIZE, after: args.after ?? null });
