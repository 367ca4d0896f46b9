import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { isAdmin } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { ConfirmCheckoutInput, StartCheckoutInput } from '../schema/inputs/checkout.input';
import { ConfirmCheckoutResult, StartCheckoutResult } from '../schema/results/checkout.result';
import { CartType } from '../schema/types/cart.type';
import { CheckoutConfirmationType, CheckoutPreviewType } from '../schema/types/checkout.type';
import { toErrorResult } from '../schema/types/common.type';
import { orderTypeOf, toPaymentType } from '../schema/types/order.type';
import { clientAddressOf, rateLimitsOf } from '../http/rate-limits';
import { RateLimitedError } from '../http/rate-limits/rate-limited.error';
import { rateLimited } from '../observability/metrics';
import { ConfirmCheckoutSaga } from '../services/checkout/confirm-checkout.saga';
import { orderTokenFor } from '../services/orders/order-tokens';
import { StartCheckoutService } from '../services/checkout/start-checkout.service';

const actorOf = (ctx: GraphQLContext) => ({ customerId: ctx.viewer?.customerId ?? null, isAdmin: isAdmin(ctx) });

/** Checkout: guests may check out their own (id-capability) carts, so no @Authorized here. */
@Resolver()
export class CheckoutResolver {
  @Mutation(() => StartCheckoutResult)
  async startCheckout(@Arg('input', () => StartCheckoutInput) input: StartCheckoutInput, @Ctx() ctx: GraphQLContext) {
    const outcome = await new StartCheckoutService(ctx.session, ctx.deps).start(input.cartId, actorOf(ctx), clientAddressOf(ctx));
    if ('capReached' in outcome) {
      // The client holds its cap of units in other open checkouts: refused as every rate limit is (top-level RATE_LIMITED, retryAfter).
      rateLimited.inc({ limit: 'held-units' });
      throw new RateLimitedError(outcome.capReached.retryAfterMs);
    }
    if (!outcome.ok) return toErrorResult(outcome.failure);
    const { cart, versionKey, reservationsExpireAt, warnings } = outcome.value;
    return Object.assign(new CheckoutPreviewType(), { cart: CartType.from(cart), versionKey, reservationsExpireAt, warnings });
  }

  @Mutation(() => ConfirmCheckoutResult)
  async confirmCheckout(@Arg('input', () => ConfirmCheckoutInput) input: ConfirmCheckoutInput, @Ctx() ctx: GraphQLContext) {
    const saga = ConfirmCheckoutSaga.fromApp(ctx.deps);
    const outcome = await rateLimitsOf(ctx).confirmCheckout(input.cartId, () => saga.confirm(ctx.em, input, actorOf(ctx)));
    if (!outcome.ok) return toErrorResult(outcome.failure);
    const { order, lines, payment, replayed } = outcome.value;
    const answered = payment ? toPaymentType(payment) : null;
    const placed = orderTypeOf(order, lines);
    // A first confirmation wrote the order's one payment itself: it answers order.payments too, without reading it back.
    if (!replayed && answered) placed.preloadedPayments = [answered];
    return Object.assign(new CheckoutConfirmationType(), {
      order: placed,
      payment: answered,
      replayed,
      // Derived from the order id, so a replay answers the same token the first answer did.
      orderToken: orderTokenFor(ctx.deps.tokens, order.id),
    });
  }
}
