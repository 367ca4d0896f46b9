import { LockMode } from '@mikro-orm/core';

/** How a store's read holds its rows until the transaction ends. */
export interface RowLock {
  readonly lockMode?: LockMode.PESSIMISTIC_WRITE;
}

/** PostgreSQL: the rows read are locked (FOR UPDATE), so a concurrent writer waits for this transaction. */
export const FOR_UPDATE: RowLock = { lockMode: LockMode.PESSIMISTIC_WRITE };

/** libSQL serializes its writers: a write transaction already excludes every other, so a plain read holds as much. */
export const PLAIN_READ: RowLock = {};
