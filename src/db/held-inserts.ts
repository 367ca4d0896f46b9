import type { EntityClass, RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from './orm';
import type { UnitOfWork } from './unit-of-work';

/**
 * Transitional: the saga runner's unit of work, found from its transaction by
 * code that still takes an EntityManager (order rows, outbox events, the
 * idempotency record). Those callers move to taking the UnitOfWork itself, and
 * this file goes with the last of them.
 */
const unitsOfWork = new WeakMap<EntityManager, UnitOfWork>();

export function attachUnitOfWork(uow: UnitOfWork): void {
  unitsOfWork.set(uow.em, uow);
}

/** Defers the rows to the transaction's unit of work when it has one; else inserts them now. */
export async function insertWhenFlushed<T extends object>(
  tx: EntityManager,
  entity: EntityClass<T>,
  data: RequiredEntityData<T> | RequiredEntityData<T>[],
): Promise<void> {
  if (Array.isArray(data) && data.length === 0) return;
  const uow = unitsOfWork.get(tx);
  if (uow) uow.defer(entity, data);
  else if (Array.isArray(data)) await tx.insertMany(entity, data);
  else await tx.insert(entity, data);
}
