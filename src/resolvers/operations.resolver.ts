import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { valueOrBadInput } from '../schema/bad-input';
import type { GraphQLContext } from '../schema/context';
import {
  adminPage,
  OutboxEventListArgs,
  RecoverSagaInput,
  ReplayOutboxEventInput,
  RetrySellerTransferInput,
  SagaListArgs,
  SellerTransferListArgs,
} from '../schema/inputs/operations.input';
import { OutboxEventConnectionType, OutboxEventType, SagaConnectionType, SagaType } from '../schema/types/operations.type';
import { SellerTransferType, toSellerTransferType } from '../schema/types/order.type';
import { OutboxOperationsService } from '../services/operations/outbox-operations.service';
import { SagaOperationsService } from '../services/operations/saga-operations.service';
import { TransferOperationsService } from '../services/operations/transfer-operations.service';

/** What operators see and act on (contract addendum `operations`); admin only. */
@Resolver()
export class OperationsResolver {
  @Authorized('ADMIN')
  @Query(() => SagaConnectionType, {
    description: 'Admin. Checkout sagas, newest first. stuck: RUNNING or COMPENSATING for longer than the recovery grace period.',
  })
  async sagas(@Args(() => SagaListArgs) args: SagaListArgs, @Ctx() ctx: GraphQLContext): Promise<SagaConnectionType> {
    return SagaConnectionType.from(valueOrBadInput(await sagas(ctx).list({ status: args.status ?? null, stuck: args.stuck ?? null }, adminPage(args))));
  }

  @Authorized('ADMIN')
  @Query(() => OutboxEventConnectionType, { description: 'Admin. Outbox events, newest first.' })
  async outboxEvents(@Args(() => OutboxEventListArgs) args: OutboxEventListArgs, @Ctx() ctx: GraphQLContext): Promise<OutboxEventConnectionType> {
    return OutboxEventConnectionType.from(valueOrBadInput(await outbox(ctx).list(args.status ?? null, adminPage(args))));
  }

  @Authorized('ADMIN')
  @Query(() => [SellerTransferType], { description: 'Admin. Transfers and reversals by status, newest first.' })
  async sellerTransfers(@Args(() => SellerTransferListArgs) args: SellerTransferListArgs, @Ctx() ctx: GraphQLContext): Promise<SellerTransferType[]> {
    return valueOrBadInput(await transfers(ctx).list(args.status ?? null, adminPage(args))).map(toSellerTransferType);
  }

  @Authorized('ADMIN')
  @Mutation(() => SagaType, { description: 'Admin. Ends the saga now, as the recovery worker would.' })
  async recoverSaga(@Arg('input', () => RecoverSagaInput) input: RecoverSagaInput, @Ctx() ctx: GraphQLContext): Promise<SagaType> {
    return SagaType.from(valueOrBadInput(await sagas(ctx).recover(input.id)));
  }

  @Authorized('ADMIN')
  @Mutation(() => OutboxEventType, { description: 'Admin. Delivers a DEAD or PENDING event again, with the same event id.' })
  async replayOutboxEvent(@Arg('input', () => ReplayOutboxEventInput) input: ReplayOutboxEventInput, @Ctx() ctx: GraphQLContext): Promise<OutboxEventType> {
    return OutboxEventType.from(valueOrBadInput(await outbox(ctx).replay(input.id)));
  }

  @Authorized('ADMIN')
  @Mutation(() => SellerTransferType, {
    description:
      'Admin. A new attempt for a FAILED or PERMANENTLY_FAILED transfer or reversal, with the same idempotency key (made by the payout workers at their next look).',
  })
  async retrySellerTransfer(
    @Arg('input', () => RetrySellerTransferInput) input: RetrySellerTransferInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SellerTransferType> {
    return toSellerTransferType(valueOrBadInput(await transfers(ctx).retry(input.id)));
  }
}

const sagas = (ctx: GraphQLContext) => new SagaOperationsService(ctx.em, ctx.deps);
const outbox = (ctx: GraphQLContext) => new OutboxOperationsService(ctx.em, ctx.deps);
const transfers = (ctx: GraphQLContext) => new TransferOperationsService(ctx.em, ctx.deps);
