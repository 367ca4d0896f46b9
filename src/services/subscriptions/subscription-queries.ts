import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Subscription, SubscriptionPeriod, type SubscriptionStatus } from '../../entities';
import { decodeCursor, encodeCursor } from '../catalog/creation-cursor';
import { isId } from '../shared/ids';

/** A customer's subscriptions listed at most this many, newest first; periods and admin pages at most MAX_SUBSCRIPTION_PAGE. */
export const MAX_LISTED_SUBSCRIPTIONS = 100;
export const MAX_SUBSCRIPTION_PAGE = 100;
export const DEFAULT_SUBSCRIPTION_PAGE = 20;
export const DEFAULT_PERIOD_PAGE = 12;

export interface SubscriptionViewer {
  customerId: string | null;
  isAdmin: boolean;
}

export interface SubscriptionPage {
  subscriptions: Subscription[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A cursor this server never issued. */
export class InvalidSubscriptionCursor extends Error {
  override name = 'InvalidSubscriptionCursor';
}

/** The read side of subscriptions: one by id for its owner or an admin, a customer's, the admin's filtered pages, a subscription's periods. */
export class SubscriptionQueries {
  constructor(private readonly em: EntityManager) {}

  /** Null for an unknown id and for anyone but the owner or an admin (no difference shows). */
  async findReadable(id: string, viewer: SubscriptionViewer): Promise<Subscription | null> {
    if (!isId(id) || (!viewer.customerId && !viewer.isAdmin)) return null;
    const subscription = await this.em.findOne(Subscription, { id });
    if (!subscription || (!viewer.isAdmin && subscription.customerId !== viewer.customerId)) return null;
    return subscription;
  }

  ofCustomer(customerId: string): Promise<Subscription[]> {
    return this.em.find(Subscription, { customerId }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: MAX_LISTED_SUBSCRIPTIONS });
  }

  /** Newest first, keyset-paginated on (createdAt, id). Throws InvalidSubscriptionCursor on a bad cursor. */
  async page(filter: { status?: SubscriptionStatus | null; customerId?: string | null }, first: number, after: string | null): Promise<SubscriptionPage> {
    if (filter.customerId && !isId(filter.customerId)) return { subscriptions: [], hasNextPage: false, endCursor: null };
    const where: FilterQuery<Subscription>[] = [];
    if (filter.status) where.push({ status: filter.status });
    if (filter.customerId) where.push({ customerId: filter.customerId });
    if (after) {
      const position = decodeCursor(after);
      if (!position) throw new InvalidSubscriptionCursor('not a subscription cursor');
      where.push({ $or: [{ createdAt: { $lt: position.createdAt } }, { createdAt: position.createdAt, id: { $lt: position.id } }] });
    }
    const rows = await this.em.find(Subscription, where.length > 0 ? { $and: where } : {}, {
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      limit: first + 1,
    });
    const subscriptions = rows.slice(0, first);
    const last = subscriptions.at(-1);
    return { subscriptions, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null };
  }

  periods(subscriptionId: string, first: number): Promise<SubscriptionPeriod[]> {
    return this.em.find(SubscriptionPeriod, { subscriptionId }, { orderBy: { periodStart: 'desc' }, limit: first });
  }
}
