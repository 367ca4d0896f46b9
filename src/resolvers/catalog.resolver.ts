import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, failureAsBadInput } from '../schema/bad-input';
import type { GraphQLContext } from '../schema/context';
import {
  availabilityLoader, productLoader, sellerLoader, variantsByProductLoader,
} from '../schema/loaders/catalog.loaders';
import { PageInfo } from '../schema/types/common.type';
import { ProductConnection, ProductType, SellerType, ShippingMethodType, VariantType } from '../schema/types/catalog.type';
import { CatalogQueryService } from '../services/catalog/catalog-query.service';

const DEFAULT_PAGE_SIZE = 20;
const CURRENCY = /^[A-Z]{3}$/;

@Resolver(() => ProductType)
export class ProductResolver {
  @Query(() => ProductConnection)
  async products(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProductConnection> {
    const page = await new CatalogQueryService(ctx.em).listProducts(first ?? DEFAULT_PAGE_SIZE, after ?? null);
    if (!page.ok) throw failureAsBadInput(page.failure);
    // Variant.product under this list then costs no statement.
    for (const product of page.value.products) ctx.loader(productLoader).prime(product.id, product);
    return Object.assign(new ProductConnection(), {
      nodes: page.value.products.map(ProductType.from),
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.value.hasNextPage, endCursor: page.value.endCursor }),
    });
  }

  @Query(() => ProductType, { nullable: true })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ProductType | null> {
    const product = await new CatalogQueryService(ctx.em).findProduct(id);
    return product ? ProductType.from(product) : null;
  }

  @FieldResolver(() => SellerType, { nullable: true })
  async seller(@Root() product: ProductType, @Ctx() ctx: GraphQLContext): Promise<SellerType | null> {
    if (!product.sellerId) return null;
    const seller = await ctx.loader(sellerLoader).load(product.sellerId);
    return seller ? SellerType.from(seller) : null;
  }

  @FieldResolver(() => [VariantType])
  async variants(@Root() product: ProductType, @Ctx() ctx: GraphQLContext): Promise<VariantType[]> {
    return (await ctx.loader(variantsByProductLoader).load(product.id)).map(VariantType.from);
  }
}

@Resolver(() => VariantType)
export class VariantResolver {
  @Query(() => VariantType, { nullable: true })
  async variant(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<VariantType | null> {
    const variant = await new CatalogQueryService(ctx.em).findVariant(id);
    return variant ? VariantType.from(variant) : null;
  }

  @FieldResolver(() => Int, { description: 'Units that can still be reserved (on hand minus active reservations), over all warehouses.' })
  available(@Root() variant: VariantType, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.loader(availabilityLoader).load(variant.id);
  }

  @FieldResolver(() => ProductType)
  async product(@Root() variant: VariantType, @Ctx() ctx: GraphQLContext): Promise<ProductType> {
    const product = await ctx.loader(productLoader).load(variant.productId);
    // The foreign key guarantees the row; a miss is a bug, not a business case.
    if (!product) throw new Error(`variant ${variant.id} points at missing product ${variant.productId}`);
    return ProductType.from(product);
  }
}

@Resolver(() => ShippingMethodType)
export class ShippingMethodResolver {
  @Query(() => [ShippingMethodType])
  async shippingMethods(@Arg('currency', () => String) currency: string, @Ctx() ctx: GraphQLContext): Promise<ShippingMethodType[]> {
    const code = currency.trim().toUpperCase();
    if (!CURRENCY.test(code)) throw badInput('currency must be an ISO 4217 code of three letters, e.g. EUR', 'currency');
    return (await new CatalogQueryService(ctx.em).shippingMethods(code)).map(ShippingMethodType.from);
  }
}
