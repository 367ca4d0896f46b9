import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Order, Role, type OrderStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import type { Viewer } from '../auth/tokens';
import { isId } from '../shared/ids';
import { orderIdOfToken } from './order-tokens';

export const MAX_ORDER_PAGE_SIZE = 100;
export const DEFAULT_ORDER_PAGE_SIZE = 20;

export interface OrderPageRequest {
  first: number;
  /** Opaque cursor from a previous page's endCursor. */
  after?: string | null;
  /** Only this customer's orders (Customer.orders). */
  customerId?: string;
  status?: OrderStatus | null;
}

export interface OrderPage {
  orders: Order[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A cursor that does not decode to a position: the caller's input is wrong. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

interface OrderPosition {
  createdAt: Date;
  id: string;
}

/** Base64url of "<createdAt ms>:<id>": stable under inserts, opaque to clients. */
export function encodeOrderCursor(position: OrderPosition): string {
  return Buffer.from(`${position.createdAt.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeOrderCursor(cursor: string): OrderPosition {
  const decoded = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15}):(.+)$/.exec(decoded);
  if (!match || !isId(match[2])) throw new InvalidCursorError('The cursor is not one this API handed out.');
  return { createdAt: new Date(Number(match[1])), id: match[2].toLowerCase() };
}

/** Who may read an order: its customer, or an admin. Guest orders (no customer) are admin-only. */
export function canReadOrder(order: Pick<Order, 'customerId'>, viewer: Viewer | null): boolean {
  if (!viewer) return false;
  return viewer.role === Role.ADMIN || (order.customerId !== null && order.customerId === viewer.customerId);
}

/** The read side of orders; writes live in checkout and in cancel-order.service.ts. */
export class OrderQueries {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'tokens'>,
  ) {}

  /**
   * The order if the viewer may read it, else null — the same answer for "does
   * not exist", "not yours" and a malformed id, so existence never leaks.
   */
  async findReadable(id: string, viewer: Viewer | null): Promise<Order | null> {
    if (!viewer || !isId(id)) return null;
    const order = await this.em.findOne(Order, { id });
    return order && canReadOrder(order, viewer) ? order : null;
  }

  /** The order behind an order token, or null (a forged or foreign token costs no statement). */
  async findByToken(token: string): Promise<Order | null> {
    const orderId = orderIdOfToken(this.deps.tokens, token);
    return orderId ? this.em.findOne(Order, { id: orderId }) : null;
  }

  /** Newest first, keyset-paginated on (createdAt, id). Throws InvalidCursorError on a bad cursor. */
  async page(request: OrderPageRequest): Promise<OrderPage> {
    if (!Number.isInteger(request.first) || request.first < 1 || request.first > MAX_ORDER_PAGE_SIZE) {
      throw new RangeError(`first must be between 1 and ${MAX_ORDER_PAGE_SIZE}`);
    }
    const conditions: FilterQuery<Order>[] = [];
    if (request.customerId !== undefined) conditions.push({ customerId: request.customerId });
    if (request.status) conditions.push({ status: request.status });
    if (request.after) {
      const { createdAt, id } = decodeOrderCursor(request.after);
      conditions.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] });
    }
    // One row past the page tells whether another page exists.
    const rows = await this.em.find(Order, conditions.length > 0 ? { $and: conditions } : {}, {
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      limit: request.first + 1,
    });
    const orders = rows.slice(0, request.first);
    const last = orders.at(-1);
    return { orders, hasNextPage: rows.length > request.first, endCursor: last ? encodeOrderCursor(last) : null };
  }
}
