import DataLoader from 'dataloader';
import { Seller, Variant } from '../../entities';
import type { GraphQLContext } from '../context';

/**
 * Per-request loaders of the catalog entities an order page shows (house rule
 * 5, docs/design.md): each collects the keys asked for in one tick and answers them with one
 * statement. Catalog pages themselves read plain rows (catalog-read.loaders.ts).
 */

/** Answers in key order, null for ids that do not exist (DataLoader's contract). */
function inKeyOrder<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

export const variantLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, Variant | null>(async (ids) => inKeyOrder(ids, await ctx.em.find(Variant, { id: { $in: [...ids] } })));

export const sellerLoader = (ctx: GraphQLContext) =>
  new DataLoader<string, Seller | null>(async (ids) => inKeyOrder(ids, await ctx.em.find(Seller, { id: { $in: [...ids] } })));
