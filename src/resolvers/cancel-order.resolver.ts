import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { isAdmin, requireViewer } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { CancelOrderInput } from '../schema/inputs/checkout.input';
import { OrderResult } from '../schema/results/checkout.result';
import { toErrorResult } from '../schema/types/common.type';
import { toOrderType } from '../schema/types/order.type';
import { cancelOrder } from '../services/orders/order-lifecycle';

@Resolver()
export class CancelOrderResolver {
  /** The order's owner or an admin. */
  @Authorized()
  @Mutation(() => OrderResult)
  async cancelOrder(@Arg('input', () => CancelOrderInput) input: CancelOrderInput, @Ctx() ctx: GraphQLContext) {
    const viewer = requireViewer(ctx);
    const outcome = await cancelOrder(ctx.em, {
      orderId: input.orderId,
      reason: input.reason,
      actor: { customerId: viewer.customerId, isAdmin: isAdmin(ctx) },
      now: ctx.deps.clock.now(),
    });
    return outcome.ok ? toOrderType(outcome.value) : toErrorResult(outcome.failure);
  }
}
