import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, failureAsBadInput } from '../schema/bad-input';
import type { GraphQLContext } from '../schema/context';
import { attachVariants, availableUnitsLoader, productRowLoader, sellerRowLoader, variantRowsLoader } from '../schema/loaders/catalog-read.loaders';
import { asksOnlyForId, referenceById, selects } from '../schema/loaders/selection-lookahead';
import { ProductConnection, ProductType, SellerType, ShippingMethodType, VariantType } from '../schema/types/catalog.type';
import { CatalogQueryService } from '../services/catalog/catalog-query.service';

const DEFAULT_PAGE_SIZE = 20;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * The public catalog, read as plain rows (catalog-query.service.ts). A page of
 * products with sellers, variants, prices and availability is two statements:
 * the products with their sellers joined, then, read ahead when the operation
 * asks for them, their variants with availability computed alongside.
 * Field resolvers answer from data in hand when there is some, and fall back
 * to per-request loaders for objects mapped elsewhere (admin answers, cart
 * and order lines). The root fields' answers may be kept publicly for
 * CATALOG_MAX_AGE: cache-hints.ts names them, public-cache.ts decides.
 */
@Resolver(() => ProductType)
export class ProductResolver {
  @Query(() => ProductConnection)
  async products(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProductConnection> {
    const page = await new CatalogQueryService(ctx.em, ctx.deps).listProducts(first ?? DEFAULT_PAGE_SIZE, after ?? null);
    if (!page.ok) throw failureAsBadInput(page.failure);
    const { products, hasNextPage, endCursor } = page.value;
    const nodes = products.map(ProductType.fromRow);
    await readVariantsAhead(ctx, info, nodes, ['nodes']);
    return ProductConnection.of(nodes, hasNextPage, endCursor);
  }

  @Query(() => ProductType, { nullable: true })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<ProductType | null> {
    const row = await new CatalogQueryService(ctx.em, ctx.deps).findProduct(id);
    if (!row) return null;
    const product = ProductType.fromRow(row);
    await readVariantsAhead(ctx, info, [product], []);
    return product;
  }

  // Field resolvers below answer synchronously when the data is in hand: a promise per item is what a page can't afford.

  @FieldResolver(() => SellerType, { nullable: true })
  seller(@Root() product: ProductType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): SellerType | null | Promise<SellerType | null> {
    if (!product.sellerId) return null;
    // Catalog reads join the seller; a product mapped from an entity (admin answers) has only its id.
    if (product.joinedSeller) return product.joinedSeller;
    return asksOnlyForId(info) ? referenceById(SellerType, product.sellerId) : ctx.loader(sellerRowLoader).load(product.sellerId);
  }

  @FieldResolver(() => [VariantType])
  variants(@Root() product: ProductType, @Ctx() ctx: GraphQLContext): VariantType[] | Promise<VariantType[]> {
    return product.knownVariants ?? loadVariants(ctx, product);
  }
}

/** Variants (and their availability) of products a query resolver just read, when the operation asks for them under `at`. */
async function readVariantsAhead(ctx: GraphQLContext, info: GraphQLResolveInfo, products: ProductType[], at: string[]): Promise<void> {
  if (selects(info, [...at, 'variants'])) await attachVariants(ctx, products, selects(info, [...at, 'variants', 'available']));
}

async function loadVariants(ctx: GraphQLContext, product: ProductType): Promise<VariantType[]> {
  const rows = await ctx.loader(variantRowsLoader).load(product.id);
  // Variant.product under this product is the parent itself: no statement.
  return rows.map((row) => VariantType.fromRow(row, product));
}

@Resolver(() => VariantType)
export class VariantResolver {
  @Query(() => VariantType, { nullable: true })
  async variant(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<VariantType | null> {
    const availableAt = selects(info, ['available']) ? ctx.deps.clock.now() : undefined;
    const row = await new CatalogQueryService(ctx.em, ctx.deps).findVariant(id, { availableAt });
    return row ? VariantType.fromRow(row, ProductType.fromRow(row.product)) : null;
  }

  @FieldResolver(() => Int, { description: 'Units that can still be reserved (on hand minus active reservations), over all warehouses.' })
  available(@Root() variant: VariantType, @Ctx() ctx: GraphQLContext): number | Promise<number> {
    return variant.knownAvailable ?? ctx.loader(availableUnitsLoader).load(variant.id);
  }

  @FieldResolver(() => ProductType)
  product(@Root() variant: VariantType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): ProductType | Promise<ProductType> {
    if (variant.knownProduct) return variant.knownProduct;
    return asksOnlyForId(info) ? referenceById(ProductType, variant.productId) : loadProduct(ctx, variant);
  }
}

async function loadProduct(ctx: GraphQLContext, variant: VariantType): Promise<ProductType> {
  const product = await ctx.loader(productRowLoader).load(variant.productId);
  // The foreign key guarantees the row; a miss is a bug, not a business case.
  if (!product) throw new Error(`variant ${variant.id} points at missing product ${variant.productId}`);
  return product;
}

@Resolver(() => ShippingMethodType)
export class ShippingMethodResolver {
  @Query(() => [ShippingMethodType])
  async shippingMethods(@Arg('currency', () => String) currency: string, @Ctx() ctx: GraphQLContext): Promise<ShippingMethodType[]> {
    const code = currency.trim().toUpperCase();
    if (!CURRENCY.test(code)) throw badInput('currency must be an ISO 4217 code of three letters, e.g. EUR', 'currency');
    return (await new CatalogQueryService(ctx.em, ctx.deps).shippingMethods(code)).map(ShippingMethodType.from);
  }
}
