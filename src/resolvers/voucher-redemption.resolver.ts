import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { requireViewer } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { RedeemVoucherInput } from '../schema/inputs/checkout.input';
import { RedeemVoucherResult } from '../schema/results/checkout.result';
import { VoucherRedemptionType } from '../schema/types/checkout.type';
import { Money, toErrorResult } from '../schema/types/common.type';
import { CustomerType } from '../schema/types/customer.type';
import { OrderType, toOrderType } from '../schema/types/order.type';
import { rateLimitsOf } from '../http/rate-limits';
import { RedeemVoucherService } from '../services/vouchers/redeem-voucher.service';

@Resolver(() => VoucherRedemptionType)
export class VoucherRedemptionResolver {
  @Authorized()
  @Mutation(() => RedeemVoucherResult)
  async redeemVoucher(@Arg('input', () => RedeemVoucherInput) input: RedeemVoucherInput, @Ctx() ctx: GraphQLContext) {
    const viewer = requireViewer(ctx);
    const vouchers = new RedeemVoucherService(ctx.em, ctx.deps);
    const outcome = await rateLimitsOf(ctx).voucherAttempt(() => vouchers.redeem(viewer.customerId, input.code));
    return outcome.ok ? VoucherRedemptionType.from(outcome.value) : toErrorResult(outcome.failure);
  }

  /** Redemptions are read one at a time (the mutation answer), so a direct lookup is enough. */
  @FieldResolver(() => OrderType, { nullable: true })
  async order(@Root() redemption: VoucherRedemptionType, @Ctx() ctx: GraphQLContext): Promise<OrderType | null> {
    const order = await new RedeemVoucherService(ctx.em, ctx.deps).orderOf(redemption);
    return order ? toOrderType(order) : null;
  }
}

@Resolver(() => CustomerType)
export class CustomerCreditResolver {
  /** The ledger sum; a customer sees their own balance, an admin anyone's. */
  @FieldResolver(() => Money, { description: 'Store credit balance from the credit ledger, in the given currency.' })
  async creditBalance(@Root() customer: CustomerType, @Arg('currency', () => String) currency: string, @Ctx() ctx: GraphQLContext): Promise<Money> {
    const code = currency.trim().toUpperCase().slice(0, 3);
    return Money.of(await ctx.deps.stores.credit.balance(ctx.deps.db.unitOfWork(ctx.session), customer.id, code), code);
  }
}
