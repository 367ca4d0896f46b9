import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { isAdmin, requireViewer } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { CancelOrderInput } from '../schema/inputs/checkout.input';
import { OrderResult } from '../schema/results/checkout.result';
import { toErrorResult } from '../schema/types/common.type';
import { toOrderType } from '../schema/types/order.type';
import { cancelOrder } from '../services/orders/order-lifecycle';

@Resolver()
export class CancelOrderResolver {
  /**
   * The order's owner, an admin, or a guest naming the cart the order was placed
   * from (its id is the guest's capability, as for the cart itself). Without a
   * cart id the caller must be signed in.
   */
  @Mutation(() => OrderResult)
  async cancelOrder(@Arg('input', () => CancelOrderInput) input: CancelOrderInput, @Ctx() ctx: GraphQLContext) {
    if (!input.cartId) requireViewer(ctx);
    const outcome = await cancelOrder(ctx.em, {
      orderId: input.orderId,
      reason: input.reason,
      actor: { customerId: ctx.viewer?.customerId ?? null, isAdmin: isAdmin(ctx), cartId: input.cartId ?? null },
      now: ctx.deps.clock.now(),
    });
    return outcome.ok ? toOrderType(outcome.value) : toErrorResult(outcome.failure);
  }
}
