import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isAdmin, requireViewer } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { rateLimitsOf } from '../http/rate-limits';
import {
  AddCartLineInput,
  CartVoucherInput,
  CreateCartInput,
  SetShippingAddressInput,
  SetShippingMethodInput,
  UpdateCartLineInput,
} from '../schema/inputs/cart.input';
import { AttachCartInput } from '../schema/inputs/attach-cart.input';
import { CartResult } from '../schema/results/cart.result';
import { CartLineType, CartTotalsType, CartType } from '../schema/types/cart.type';
import { toErrorResult } from '../schema/types/common.type';
import type { CartActor } from '../services/cart/cart-access';
import type { CartReads, CartSnapshot } from '../services/cart/cart-snapshot';
import { AttachCartService } from '../services/cart/attach-cart.service';
import { CartService } from '../services/cart/cart.service';
import { CartVoucherService } from '../services/cart/cart-vouchers.service';
import type { Outcome } from '../services/shared/outcome';

const actorOf = (ctx: GraphQLContext): CartActor => ({ customerId: ctx.viewer?.customerId ?? null, isAdmin: isAdmin(ctx) });
const carts = (ctx: GraphQLContext) => new CartService(ctx.session, ctx.deps);
const cartVouchers = (ctx: GraphQLContext) => new CartVoucherService(ctx.session, ctx.deps);
/** Where a cart's pricing reads its inputs when an answer's cart no longer matches the ones it was read with. */
const cartReads = (ctx: GraphQLContext): CartReads => ({ carts: ctx.deps.stores.carts, uow: ctx.deps.db.unitOfWork(ctx.session) });

const toCartResult = (outcome: Outcome<CartSnapshot>): typeof CartResult => (outcome.ok ? CartType.from(outcome.value) : toErrorResult(outcome.failure));

/** Carts: anyone may create one; access rules live in the service (cart-access.ts). */
@Resolver(() => CartType)
export class CartResolver {
  @Query(() => CartType, { nullable: true })
  async cart(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<CartType | null> {
    const cart = await carts(ctx).findCart(id, actorOf(ctx));
    return cart ? CartType.from(cart) : null;
  }

  @Mutation(() => CartType)
  async createCart(@Arg('input', () => CreateCartInput) input: CreateCartInput, @Ctx() ctx: GraphQLContext): Promise<CartType> {
    return CartType.from(await rateLimitsOf(ctx).createCart(() => carts(ctx).createCart(input, actorOf(ctx))));
  }

  @Mutation(() => CartResult)
  async addCartLine(@Arg('input', () => AddCartLineInput) input: AddCartLineInput, @Ctx() ctx: GraphQLContext) {
    await rateLimitsOf(ctx).addCartLine(input.cartId);
    return toCartResult(await carts(ctx).addLine(input, actorOf(ctx)));
  }

  @Mutation(() => CartResult)
  async updateCartLine(@Arg('input', () => UpdateCartLineInput) input: UpdateCartLineInput, @Ctx() ctx: GraphQLContext) {
    return toCartResult(await carts(ctx).updateLine(input, actorOf(ctx)));
  }

  @Mutation(() => CartResult)
  async setShippingMethod(@Arg('input', () => SetShippingMethodInput) input: SetShippingMethodInput, @Ctx() ctx: GraphQLContext) {
    return toCartResult(await carts(ctx).setShippingMethod(input, actorOf(ctx)));
  }

  @Mutation(() => CartResult)
  async setShippingAddress(@Arg('input', () => SetShippingAddressInput) input: SetShippingAddressInput, @Ctx() ctx: GraphQLContext) {
    return toCartResult(await carts(ctx).setShippingAddress(input, actorOf(ctx)));
  }

  @Mutation(() => CartResult)
  async applyVoucher(@Arg('input', () => CartVoucherInput) input: CartVoucherInput, @Ctx() ctx: GraphQLContext) {
    return toCartResult(await rateLimitsOf(ctx).voucherAttempt(() => cartVouchers(ctx).applyVoucher(input, actorOf(ctx))));
  }

  @Mutation(() => CartResult)
  async removeVoucher(@Arg('input', () => CartVoucherInput) input: CartVoucherInput, @Ctx() ctx: GraphQLContext) {
    return toCartResult(await cartVouchers(ctx).removeVoucher(input, actorOf(ctx)));
  }

  @Authorized()
  @Mutation(() => CartResult, { description: 'Signed-in customer.' })
  async attachCart(@Arg('input', () => AttachCartInput) input: AttachCartInput, @Ctx() ctx: GraphQLContext) {
    const { customerId } = requireViewer(ctx);
    return toCartResult(await new AttachCartService(ctx.session, ctx.deps).attach(customerId, input.cartId));
  }

  @FieldResolver(() => [CartLineType])
  lines(@Root() cart: CartType, @Ctx() ctx: GraphQLContext): Promise<CartLineType[]> {
    return cart.pricedLines(cartReads(ctx));
  }

  @FieldResolver(() => CartTotalsType)
  totals(@Root() cart: CartType, @Ctx() ctx: GraphQLContext): Promise<CartTotalsType> {
    return cart.pricedTotals(cartReads(ctx));
  }
}
