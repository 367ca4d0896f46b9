import DataLoader from 'dataloader';
import type { Order } from '../../entities';
import { ordersOfLinks } from '../../services/payment-links/payment-link-admin.service';
import type { GraphQLContext } from '../context';

/** A link's orders, one query for every link in the request. */
export const ordersByPaymentLinkId = (ctx: GraphQLContext) =>
  new DataLoader<string, Order[]>(async (linkIds) => {
    const orders = await ordersOfLinks(ctx.em, linkIds);
    return linkIds.map((id) => orders.filter((order) => order.paymentLinkId === id));
  });
