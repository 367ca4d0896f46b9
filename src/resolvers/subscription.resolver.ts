import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Order } from '../entities';
import { isAdmin } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { variantLoader } from '../schema/loaders/catalog.loaders';
import { customerById } from '../schema/loaders/order.loaders';
import { asksOnlyForId, referenceById } from '../schema/loaders/selection-lookahead';
import { CancelSubscriptionInput, ResumeSubscriptionInput, SubscriptionsFilter } from '../schema/inputs/subscription.input';
import { SubscriptionResult } from '../schema/results/subscription.result';
import { VariantType } from '../schema/types/catalog.type';
import { toErrorResult } from '../schema/types/common.type';
import { CustomerType } from '../schema/types/customer.type';
import { OrderType, toOrderType } from '../schema/types/order.type';
import { SubscriptionConnectionType, SubscriptionPeriodType, SubscriptionType } from '../schema/types/subscription.type';
import { SubscriptionCommands } from '../services/subscriptions/subscription-commands.service';
import {
  DEFAULT_PERIOD_PAGE,
  DEFAULT_SUBSCRIPTION_PAGE,
  InvalidSubscriptionCursor,
  MAX_SUBSCRIPTION_PAGE,
  SubscriptionQueries,
} from '../services/subscriptions/subscription-queries';

const viewerOf = (ctx: GraphQLContext) => ({ customerId: ctx.viewer?.customerId ?? null, isAdmin: isAdmin(ctx) });

@ArgsType()
class SubscriptionPageArgs {
  @Field(() => SubscriptionsFilter, { nullable: true })
  @IsOptional()
  filter?: SubscriptionsFilter | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_SUBSCRIPTION_PAGE })
  @IsOptional()
  @Min(1)
  @Max(MAX_SUBSCRIPTION_PAGE)
  first?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  after?: string | null;
}

@Resolver(() => SubscriptionType)
export class SubscriptionResolver {
  @Query(() => SubscriptionType, { nullable: true, description: 'The owner or an admin.' })
  async subscription(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<SubscriptionType | null> {
    const subscription = await new SubscriptionQueries(ctx.em).findReadable(id, viewerOf(ctx));
    return subscription ? SubscriptionType.from(subscription) : null;
  }

  @Authorized('ADMIN')
  @Query(() => SubscriptionConnectionType, { description: 'Admin.' })
  async subscriptions(@Args(() => SubscriptionPageArgs) args: SubscriptionPageArgs, @Ctx() ctx: GraphQLContext): Promise<SubscriptionConnectionType> {
    try {
      const page = await new SubscriptionQueries(ctx.em).page(args.filter ?? {}, args.first ?? DEFAULT_SUBSCRIPTION_PAGE, args.after ?? null);
      return SubscriptionConnectionType.of(page.subscriptions.map(SubscriptionType.from), page.hasNextPage, page.endCursor);
    } catch (error) {
      if (error instanceof InvalidSubscriptionCursor) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      throw error;
    }
  }

  @Mutation(() => SubscriptionResult, { description: 'The owner or an admin.' })
  async cancelSubscription(@Arg('input', () => CancelSubscriptionInput) input: CancelSubscriptionInput, @Ctx() ctx: GraphQLContext) {
    const outcome = await new SubscriptionCommands(ctx.em, ctx.deps).cancel(input.subscriptionId, input.atPeriodEnd ?? true, viewerOf(ctx));
    return outcome.ok ? SubscriptionType.from(outcome.value) : toErrorResult(outcome.failure);
  }

  @Mutation(() => SubscriptionResult, { description: 'The owner or an admin: undoes cancelAtPeriodEnd before the period ends.' })
  async resumeSubscription(@Arg('input', () => ResumeSubscriptionInput) input: ResumeSubscriptionInput, @Ctx() ctx: GraphQLContext) {
    const outcome = await new SubscriptionCommands(ctx.em, ctx.deps).resume(input.subscriptionId, viewerOf(ctx));
    return outcome.ok ? SubscriptionType.from(outcome.value) : toErrorResult(outcome.failure);
  }

  @FieldResolver(() => VariantType)
  async plan(@Root() subscription: SubscriptionType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<VariantType> {
    if (asksOnlyForId(info)) return referenceById(VariantType, subscription.planVariantId);
    const variant = await ctx.loader(variantLoader).load(subscription.planVariantId);
    if (!variant) throw new Error(`plan ${subscription.planVariantId} of subscription ${subscription.id} is missing`);
    return VariantType.from(variant);
  }

  @FieldResolver(() => CustomerType)
  async customer(@Root() subscription: SubscriptionType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<CustomerType> {
    if (asksOnlyForId(info)) return referenceById(CustomerType, subscription.customerId);
    const customer = await ctx.loader(customerById).load(subscription.customerId);
    if (!customer) throw new Error(`customer ${subscription.customerId} of subscription ${subscription.id} is missing`);
    return CustomerType.from(customer);
  }

  @FieldResolver(() => [SubscriptionPeriodType], { description: 'Newest first.' })
  async periods(
    @Root() subscription: SubscriptionType,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PERIOD_PAGE }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SubscriptionPeriodType[]> {
    // An explicit null means the default, as for the other pages.
    const size = first ?? DEFAULT_PERIOD_PAGE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_SUBSCRIPTION_PAGE) {
      throw new GraphQLError(`first must be between 1 and ${MAX_SUBSCRIPTION_PAGE}.`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    }
    return (await new SubscriptionQueries(ctx.em).periods(subscription.id, size)).map(SubscriptionPeriodType.from);
  }
}

@Resolver(() => SubscriptionPeriodType)
export class SubscriptionPeriodResolver {
  @FieldResolver(() => OrderType, {
    nullable: true,
    description: "The order that bills this period (the checkout's order for the first, a renewal order after).",
  })
  async order(@Root() period: SubscriptionPeriodType, @Ctx() ctx: GraphQLContext): Promise<OrderType | null> {
    if (!period.orderId) return null;
    const order = await ctx.em.findOne(Order, { id: period.orderId });
    return order ? toOrderType(order) : null;
  }
}

/** Customer.subscriptions and Order.subscription: the customer's own (or an admin's view), as for licenses. */
@Resolver(() => CustomerType)
export class CustomerSubscriptionsResolver {
  @FieldResolver(() => [SubscriptionType])
  async subscriptions(@Root() customer: CustomerType, @Ctx() ctx: GraphQLContext): Promise<SubscriptionType[]> {
    if (ctx.viewer?.customerId !== customer.id && !isAdmin(ctx)) {
      throw new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } });
    }
    return (await new SubscriptionQueries(ctx.em).ofCustomer(customer.id)).map(SubscriptionType.from);
  }
}

@Resolver(() => OrderType)
export class OrderSubscriptionResolver {
  @FieldResolver(() => SubscriptionType, { nullable: true, description: 'Set on the order that started or renews a subscription.' })
  async subscription(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<SubscriptionType | null> {
    if (!order.subscriptionId) return null;
    const subscription = await new SubscriptionQueries(ctx.em).findReadable(order.subscriptionId, viewerOf(ctx));
    return subscription ? SubscriptionType.from(subscription) : null;
  }
}
