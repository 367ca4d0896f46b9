import { QueryOrder } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { Customer, License, OrderLine, Payment, Refund, SellerTransfer } from '../../entities';
import type { EntityManager } from '../../db/orm';
import type { GraphQLContext } from '../context';

/**
 * Per-request loaders for an order's relations: every field resolver of a page
 * of orders shares one query per relation instead of one per order. Each export
 * is a stable factory for `ctx.loader(factory)`.
 */

function groupByKey<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

type OrderChild = Payment | Refund | SellerTransfer | License;

const OLDEST_FIRST = { orderBy: [{ createdAt: QueryOrder.ASC }, { id: QueryOrder.ASC }] };

/** Rows of an entity with an `orderId` column, grouped per order. */
function childrenOfOrder<T extends OrderChild>(load: (em: EntityManager, orderIds: string[]) => Promise<T[]>) {
  return (ctx: GraphQLContext) =>
    new DataLoader<string, T[]>(async (orderIds) => groupByKey(orderIds, await load(ctx.em, [...orderIds]), (row) => row.orderId));
}

export const paymentsByOrderId = childrenOfOrder((em, ids) => em.find(Payment, { orderId: { $in: ids } }, OLDEST_FIRST));
export const refundsByOrderId = childrenOfOrder((em, ids) => em.find(Refund, { orderId: { $in: ids } }, OLDEST_FIRST));
export const licensesByOrderId = childrenOfOrder((em, ids) =>
  em.find(License, { orderId: { $in: ids } }, { orderBy: [{ orderLineId: QueryOrder.ASC }, { unitIndex: QueryOrder.ASC }] }),
);
export const sellerTransfersByOrderId = childrenOfOrder((em, ids) => em.find(SellerTransfer, { orderId: { $in: ids } }, OLDEST_FIRST));

export const orderLinesByOrderId = (ctx: GraphQLContext) =>
  new DataLoader<string, OrderLine[]>(async (orderIds) => {
    const lines = await ctx.em.find(OrderLine, { order: { $in: [...orderIds] } }, { orderBy: [{ position: 'asc' }] });
    return groupByKey(orderIds, lines, (line) => line.order.id);
  });

export const customerById = (ctx: GraphQLContext) =>
  new DataLoader<string, Customer | null>(async (ids) => {
    const customers = await ctx.em.find(Customer, { id: { $in: [...ids] } });
    const byId = new Map(customers.map((customer) => [customer.id, customer]));
    return ids.map((id) => byId.get(id) ?? null);
  });
