import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { valueOrBadInput } from '../schema/bad-input';
import type { GraphQLContext } from '../schema/context';
import { CreateProductInput, CreateSellerInput, CreateShippingMethodInput, SetStockInput, SetVariantPriceInput } from '../schema/inputs/catalog.input';
import { CreateVoucherInput } from '../schema/inputs/voucher.input';
import { ProductType, SellerType, ShippingMethodType, VariantType } from '../schema/types/catalog.type';
import { VoucherType } from '../schema/types/voucher.type';
import { CatalogAdminService } from '../services/catalog/catalog-admin.service';
import { VoucherAdminService } from '../services/vouchers/voucher-admin.service';

@Resolver()
export class AdminCatalogResolver {
  @Authorized('ADMIN')
  @Mutation(() => SellerType, { description: 'Admin.' })
  async createSeller(@Arg('input', () => CreateSellerInput) input: CreateSellerInput, @Ctx() ctx: GraphQLContext): Promise<SellerType> {
    return SellerType.from(valueOrBadInput(await admin(ctx).createSeller(input)));
  }

  @Authorized('ADMIN')
  @Mutation(() => ProductType, { description: 'Admin.' })
  async createProduct(@Arg('input', () => CreateProductInput) input: CreateProductInput, @Ctx() ctx: GraphQLContext): Promise<ProductType> {
    return ProductType.from(valueOrBadInput(await admin(ctx).createProduct(input)).product);
  }

  @Authorized('ADMIN')
  @Mutation(() => VariantType, { description: 'Admin.' })
  async setVariantPrice(@Arg('input', () => SetVariantPriceInput) input: SetVariantPriceInput, @Ctx() ctx: GraphQLContext): Promise<VariantType> {
    return VariantType.from(valueOrBadInput(await admin(ctx).setVariantPrice(input)));
  }

  @Authorized('ADMIN')
  @Mutation(() => VariantType, { description: 'Admin.' })
  async setStock(@Arg('input', () => SetStockInput) input: SetStockInput, @Ctx() ctx: GraphQLContext): Promise<VariantType> {
    return VariantType.from(valueOrBadInput(await admin(ctx).setStock(input)));
  }

  @Authorized('ADMIN')
  @Mutation(() => ShippingMethodType, { description: 'Admin.' })
  async createShippingMethod(
    @Arg('input', () => CreateShippingMethodInput) input: CreateShippingMethodInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ShippingMethodType> {
    return ShippingMethodType.from(valueOrBadInput(await admin(ctx).createShippingMethod(input)));
  }

  @Authorized('ADMIN')
  @Mutation(() => VoucherType, { description: 'Admin.' })
  async createVoucher(@Arg('input', () => CreateVoucherInput) input: CreateVoucherInput, @Ctx() ctx: GraphQLContext): Promise<VoucherType> {
    return VoucherType.from(valueOrBadInput(await vouchers(ctx).createVoucher(input)));
  }

  @Authorized('ADMIN')
  @Query(() => VoucherType, { nullable: true, description: 'Admin.' })
  async voucher(@Arg('code', () => String) code: string, @Ctx() ctx: GraphQLContext): Promise<VoucherType | null> {
    const found = await vouchers(ctx).findByCode(code);
    return found ? VoucherType.from(found) : null;
  }
}

const admin = (ctx: GraphQLContext) => new CatalogAdminService(ctx.em, ctx.deps);
const vouchers = (ctx: GraphQLContext) => new VoucherAdminService(ctx.em, ctx.deps);
