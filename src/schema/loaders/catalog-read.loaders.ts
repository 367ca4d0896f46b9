import DataLoader from 'dataloader';
import { CatalogQueryService, type VariantRow } from '../../services/catalog/catalog-query.service';
import type { GraphQLContext } from '../context';
import { ProductType, SellerType, VariantType } from '../types/catalog.type';

/**
 * Catalog reads for the GraphQL layer, over plain rows; no entity is built on
 * this path ("lean reads").
 *
 * Per-request loaders (house rule 5, docs/design.md) serve catalog objects that arrive one by
 * one (admin answers, cart and order lines): each gathers the keys asked for
 * in one tick and answers them with one statement. Use as
 * `ctx.loader(productRowLoader)`. Lists read ahead instead (attachVariants).
 */

const catalog = (ctx: GraphQLContext) => new CatalogQueryService(ctx.session, ctx.deps);

/** Answers in key order, with `missing` for keys the map lacks (DataLoader's contract). */
const answer = <V, M>(keys: readonly string[], found: Map<string, V>, missing: M): (V | M)[] => keys.map((key) => found.get(key) ?? missing);

export const productRowLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, ProductType | null>(async (ids) =>
    answer(ids, await catalog(ctx).productsById(ids), null).map((row) => row && ProductType.fromRow(row)),
  );

export const sellerRowLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, SellerType | null>(async (ids) => answer(ids, await catalog(ctx).sellersById(ids), null).map((row) => row && SellerType.from(row)));

/** A product's variants, in creation order then sku. */
export const variantRowsLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, VariantRow[]>(async (productIds) => answer(productIds, await catalog(ctx).variantsOfProducts(productIds), []));

/** Units available per variant at request time (the request's clock); informational, checkout re-checks under lock. */
export const availableUnitsLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, number>(async (variantIds) => answer(variantIds, await catalog(ctx).availableUnits(variantIds, ctx.deps.clock.now()), 0));

/**
 * Read-ahead for a list that the operation asks variants of (see
 * selection-lookahead.ts): the products' variants, with their availability
 * when asked, in one statement, handed to every item up front.
 */
export async function attachVariants(ctx: GraphQLContext, products: ProductType[], withAvailability: boolean): Promise<void> {
  if (products.length === 0) return;
  const rows = await catalog(ctx).variantsOfProducts(
    products.map((product) => product.id),
    withAvailability ? { availableAt: ctx.deps.clock.now() } : {},
  );
  for (const product of products) product.knownVariants = (rows.get(product.id) ?? []).map((row) => VariantType.fromRow(row, product));
}
