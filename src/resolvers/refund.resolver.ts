import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../schema/context';
import { RefundOrderInput } from '../schema/inputs/refund.input';
import { RefundOrderResult } from '../schema/results/refund.result';
import { toErrorResult } from '../schema/types/common.type';
import { toRefundType } from '../schema/types/order.type';
import { RefundOrderService } from '../services/refunds/refund-order.service';

@Resolver()
export class RefundResolver {
  @Authorized('ADMIN')
  @Mutation(() => RefundOrderResult, { description: 'Admin.' })
  async refundOrder(@Arg('input', () => RefundOrderInput) input: RefundOrderInput, @Ctx() ctx: GraphQLContext) {
    const outcome = await new RefundOrderService(ctx.em, ctx.deps).refundOrder({
      orderId: input.orderId,
      amount: input.amount ?? null,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      lines: input.lines?.map((line) => ({ orderLineId: line.orderLineId, quantity: line.quantity })) ?? null,
    });
    return outcome.ok ? toRefundType(outcome.value) : toErrorResult(outcome.failure);
  }
}
