import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { isAdmin, requireViewer } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { CancelOrderInput } from '../schema/inputs/checkout.input';
import { OrderResult } from '../schema/results/checkout.result';
import { toErrorResult } from '../schema/types/common.type';
import { toOrderType } from '../schema/types/order.type';
import { CancelOrderService } from '../services/orders/cancel-order.service';
import { orderIdOfToken } from '../services/orders/order-tokens';

@Resolver()
export class CancelOrderResolver {
  /**
   * The order's owner, an admin, or a guest holding the order's token or naming
   * the cart the order was placed from (the cart id is the guest's capability,
   * as for the cart itself). Without either the caller must be signed in.
   */
  @Mutation(() => OrderResult)
  async cancelOrder(@Arg('input', () => CancelOrderInput) input: CancelOrderInput, @Ctx() ctx: GraphQLContext) {
    if (!input.cartId && !input.orderToken) requireViewer(ctx);
    const outcome = await new CancelOrderService(ctx.em, ctx.deps).cancel({
      orderId: input.orderId,
      reason: input.reason,
      actor: {
        customerId: ctx.viewer?.customerId ?? null,
        isAdmin: isAdmin(ctx),
        cartId: input.cartId ?? null,
        tokenOrderId: input.orderToken ? orderIdOfToken(ctx.deps.tokens, input.orderToken) : null,
      },
    });
    return outcome.ok ? toOrderType(outcome.value) : toErrorResult(outcome.failure);
  }
}
