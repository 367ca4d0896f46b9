import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { isAdmin } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { AdminOrderPageArgs, OrderPageArgs } from '../schema/inputs/order-query.input';
import { sellerLoader, variantLoader } from '../schema/loaders/catalog.loaders';
import { asksOnlyForId, referenceById } from '../schema/loaders/selection-lookahead';
import { customerById, orderLinesByOrderId, paymentsByOrderId, refundsByOrderId, sellerTransfersByOrderId } from '../schema/loaders/order.loaders';
import { SellerType, VariantType } from '../schema/types/catalog.type';
import { CustomerType } from '../schema/types/customer.type';
import {
  OrderConnectionType,
  OrderLineType,
  OrderType,
  PaymentType,
  RefundType,
  SellerTransferType,
  toOrderConnection,
  toOrderLineType,
  toOrderType,
  toPaymentType,
  toRefundType,
  toSellerTransferType,
} from '../schema/types/order.type';
import { DEFAULT_ORDER_PAGE_SIZE, InvalidCursorError, OrderQueries, type OrderPageRequest } from '../services/orders/order-queries.service';

async function pageOfOrders(ctx: GraphQLContext, request: OrderPageRequest): Promise<OrderConnectionType> {
  try {
    return toOrderConnection(await new OrderQueries(ctx.em, ctx.deps).page(request));
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    }
    throw error;
  }
}

/** A loaded relation that must exist (foreign data the order snapshot points at). */
function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}

/**
 * Orders answered to an order token's holder (orderByToken). The token opens
 * that one order, not the account or the back office, so the field resolvers
 * below answer them without the customer, the refunds (provider ids, reasons:
 * what was refunded shows in totals.refunded and the status) and the seller
 * transfers. Marked here rather than on OrderType: one schema type, two views.
 */
const heldByToken = new WeakSet<OrderType>();

@Resolver(() => OrderType)
export class OrderResolver {
  @Query(() => OrderType, { nullable: true, description: 'The order, for its customer or an admin; null for anyone else.' })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<OrderType | null> {
    const order = await new OrderQueries(ctx.em, ctx.deps).findReadable(id, ctx.viewer);
    return order ? toOrderType(order) : null;
  }

  @Query(() => OrderType, { nullable: true, description: "Anyone holding the order's token; no seller transfers or refund internals are shown through it." })
  async orderByToken(@Arg('token', () => String) token: string, @Ctx() ctx: GraphQLContext): Promise<OrderType | null> {
    const order = await new OrderQueries(ctx.em, ctx.deps).findByToken(token);
    if (!order) return null;
    const view = toOrderType(order);
    heldByToken.add(view);
    return view;
  }

  @Authorized('ADMIN')
  @Query(() => OrderConnectionType, { description: 'Admin: all orders, newest first.' })
  orders(@Args(() => AdminOrderPageArgs) args: AdminOrderPageArgs, @Ctx() ctx: GraphQLContext): Promise<OrderConnectionType> {
    return pageOfOrders(ctx, { first: args.first ?? DEFAULT_ORDER_PAGE_SIZE, after: args.after, status: args.status });
  }

  @FieldResolver(() => [OrderLineType])
  async lines(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<OrderLineType[]> {
    if (order.preloadedLines) return order.preloadedLines;
    const lines = await ctx.loader(orderLinesByOrderId).load(order.id);
    return lines.map((line) => toOrderLineType(line, order.currency));
  }

  @FieldResolver(() => CustomerType, { nullable: true })
  async customer(@Root() order: OrderType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<CustomerType | null> {
    if (!order.customerId || heldByToken.has(order)) return null;
    if (asksOnlyForId(info)) return referenceById(CustomerType, order.customerId);
    const customer = await ctx.loader(customerById).load(order.customerId);
    return customer ? CustomerType.from(customer) : null;
  }

  @FieldResolver(() => [PaymentType])
  async payments(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<PaymentType[]> {
    if (order.preloadedPayments) return order.preloadedPayments;
    return (await ctx.loader(paymentsByOrderId).load(order.id)).map(toPaymentType);
  }

  @FieldResolver(() => [RefundType])
  async refunds(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<RefundType[]> {
    if (heldByToken.has(order)) return [];
    return (await ctx.loader(refundsByOrderId).load(order.id)).map(toRefundType);
  }

  @FieldResolver(() => [SellerTransferType])
  async sellerTransfers(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<SellerTransferType[]> {
    if (heldByToken.has(order)) return [];
    return (await ctx.loader(sellerTransfersByOrderId).load(order.id)).map(toSellerTransferType);
  }
}

@Resolver(() => OrderLineType)
export class OrderLineResolver {
  @FieldResolver(() => VariantType)
  async variant(@Root() line: OrderLineType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<VariantType> {
    // The line holds the variant's id (an order history page links each line to its variant): no read for that.
    if (asksOnlyForId(info)) return referenceById(VariantType, line.variantId);
    return VariantType.from(present(await ctx.loader(variantLoader).load(line.variantId), `variant ${line.variantId}`));
  }
}

@Resolver(() => SellerTransferType)
export class SellerTransferResolver {
  @FieldResolver(() => SellerType)
  async seller(@Root() transfer: SellerTransferType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<SellerType> {
    if (asksOnlyForId(info)) return referenceById(SellerType, transfer.sellerId);
    return SellerType.from(present(await ctx.loader(sellerLoader).load(transfer.sellerId), `seller ${transfer.sellerId}`));
  }
}

@Resolver(() => CustomerType)
export class CustomerOrdersResolver {
  @FieldResolver(() => OrderConnectionType, { description: "The customer's orders, newest first (the customer or an admin)." })
  orders(@Root() customer: CustomerType, @Args(() => OrderPageArgs) args: OrderPageArgs, @Ctx() ctx: GraphQLContext): Promise<OrderConnectionType> {
    // A Customer is reachable from logIn/signUp payloads too; only its owner or an admin may list its orders.
    if (ctx.viewer?.customerId !== customer.id && !isAdmin(ctx)) {
      throw new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } });
    }
    return pageOfOrders(ctx, { first: args.first ?? DEFAULT_ORDER_PAGE_SIZE, after: args.after, customerId: customer.id });
  }
}
