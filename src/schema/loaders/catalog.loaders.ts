import DataLoader from 'dataloader';
import { Product, Seller, Variant } from '../../entities';
import { availableByVariant } from '../../services/inventory/availability';
import type { GraphQLContext } from '../context';

/**
 * Per-request catalog loaders (STYLE rule 8): each collects the keys asked for in
 * one tick and answers them with one statement, so a product list costs the
 * same number of queries for 5 products or 100. Use as `ctx.loader(productLoader)`.
 */

/** Answers in key order, null for ids that do not exist (DataLoader's contract). */
function inKeyOrder<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

export const productLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, Product | null>(async (ids) => inKeyOrder(ids, await ctx.em.find(Product, { id: { $in: [...ids] } })));

export const variantLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, Variant | null>(async (ids) => inKeyOrder(ids, await ctx.em.find(Variant, { id: { $in: [...ids] } })));

export const sellerLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, Seller | null>(async (ids) => inKeyOrder(ids, await ctx.em.find(Seller, { id: { $in: [...ids] } })));

/** A product's variants in a stable order (creation, then sku). */
export const variantsByProductLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, Variant[]>(async (productIds) => {
    const variants = await ctx.em.find(Variant, { product: { $in: [...productIds] } }, { orderBy: [{ createdAt: 'asc' }, { sku: 'asc' }] });
    const grouped = new Map<string, Variant[]>(productIds.map((id) => [id, []]));
    for (const variant of variants) grouped.get(variant.product.id)?.push(variant);
    return productIds.map((id) => grouped.get(id) ?? []);
  });

/** Units available per variant at request time; informational (checkout re-checks under lock). */
export const availabilityLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, number>(async (variantIds) => {
    const available = await availableByVariant(ctx.em, variantIds, ctx.deps.clock.now());
    return variantIds.map((id) => available.get(id) ?? 0);
  });
