import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { failureAsBadInput } from '../schema/bad-input';
import type { GraphQLContext } from '../schema/context';
import { CreatePaymentLinkInput } from '../schema/inputs/payment-link.input';
import { ordersByPaymentLinkId } from '../schema/loaders/payment-link.loaders';
import { OrderType, toOrderType } from '../schema/types/order.type';
import { PaymentLinkType } from '../schema/types/payment-link.type';
import { PaymentLinkAdminService } from '../services/payment-links/payment-link-admin.service';

@Resolver(() => PaymentLinkType)
export class PaymentLinkResolver {
  @Authorized('ADMIN')
  @Mutation(() => PaymentLinkType, { description: 'Admin.' })
  async createPaymentLink(@Arg('input', () => CreatePaymentLinkInput) input: CreatePaymentLinkInput, @Ctx() ctx: GraphQLContext): Promise<PaymentLinkType> {
    const outcome = await new PaymentLinkAdminService(ctx.em, ctx.deps).create({
      email: input.email,
      customerId: input.customerId ?? null,
      description: input.description,
      amount: input.amount,
      currency: input.currency,
    });
    if (!outcome.ok) throw failureAsBadInput(outcome.failure);
    return PaymentLinkType.from(outcome.value, ctx.config.publicUrl);
  }

  @Authorized('ADMIN')
  @Query(() => PaymentLinkType, { nullable: true, description: 'Admin.' })
  async paymentLink(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<PaymentLinkType | null> {
    const link = await new PaymentLinkAdminService(ctx.em, ctx.deps).find(id);
    return link ? PaymentLinkType.from(link, ctx.config.publicUrl) : null;
  }

  @FieldResolver(() => [OrderType])
  async orders(@Root() link: PaymentLinkType, @Ctx() ctx: GraphQLContext): Promise<OrderType[]> {
    return (await ctx.loader(ordersByPaymentLinkId).load(link.id)).map(toOrderType);
  }
}
