import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { decodeCursor, encodeCursor } from '../catalog/creation-cursor';
import { ErrorCode } from '../shared/error-code';
import { fail, success, type Outcome } from '../shared/outcome';

/** Most rows one page of an operator list may ask for. */
export const MAX_ADMIN_PAGE_SIZE = 100;

export interface AdminPageRequest {
  first: number;
  after: string | null;
}

export interface AdminPage<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

interface CreatedRow {
  id: string;
  createdAt: Date;
}

/**
 * One page of an operator list, newest first, keyset-paginated on
 * (createdAt, id) with the catalog's opaque cursor: first + 1 rows in one
 * statement tell whether another page exists. A bad `first` or cursor is
 * VALIDATION_FAILED and reads nothing.
 */
export async function newestFirstPage<T extends CreatedRow>(
  em: EntityManager,
  entity: new () => T,
  where: FilterQuery<T>,
  request: AdminPageRequest,
): Promise<Outcome<AdminPage<T>>> {
  const { first, after } = request;
  if (!Number.isInteger(first) || first < 0 || first > MAX_ADMIN_PAGE_SIZE) {
    return fail(ErrorCode.VALIDATION_FAILED, `first must be between 0 and ${MAX_ADMIN_PAGE_SIZE}.`, 'first');
  }
  const position = after == null ? null : decodeCursor(after);
  if (after != null && !position) return fail(ErrorCode.VALIDATION_FAILED, 'after is not a cursor from this API.', 'after');
  if (first === 0) return success({ nodes: [], hasNextPage: false, endCursor: after });
  const before = position ? { $or: [{ createdAt: { $lt: position.createdAt } }, { createdAt: position.createdAt, id: { $lt: position.id } }] } : {};
  const rows = await em.find(entity, { $and: [where, before] } as FilterQuery<T>, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] as never,
    limit: first + 1,
  });
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return success({ nodes, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : after });
}
