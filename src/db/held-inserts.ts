import type { EntityClass, RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from './orm';
import { isPostgres } from './orm';

/**
 * Inserts that nothing in their transaction reads back (an outbox event, a
 * completed idempotency record) need not be a statement of their own: within
 * a transaction that holds them, they are sent with the transaction's last
 * insert. On PostgreSQL that is ONE statement — `with h0 as (insert …), h1 as
 * (insert …) insert …` — atomic like any other, and every row is written
 * exactly as its own insert would have written it. libSQL runs in-process, with
 * no round trip to save, so there they are simply written one after the other.
 *
 * A failure of a held insert (a unique key, say) surfaces at that last insert,
 * inside the same transaction, so the transaction fails as a whole either way.
 */

/** One row, or several rows of one table (one multi-row insert). */
interface HeldInsert { entity: EntityClass<object>; data: RequiredEntityData<object> | RequiredEntityData<object>[] }

const heldBy = new WeakMap<EntityManager, HeldInsert[]>();

/** From now on, `insertWhenFlushed` on this transaction holds its rows for `insertWithHeld`. */
export function holdInserts(tx: EntityManager): void {
  heldBy.set(tx, []);
}

/** Inserts the row (or rows) now, or holds them for the transaction's last insert when the transaction holds inserts. */
export async function insertWhenFlushed<T extends object>(tx: EntityManager, entity: EntityClass<T>, data: RequiredEntityData<T> | RequiredEntityData<T>[]): Promise<void> {
  if (Array.isArray(data) && data.length === 0) return;
  const row = { entity: entity as EntityClass<object>, data: data as RequiredEntityData<object> | RequiredEntityData<object>[] };
  const held = heldBy.get(tx);
  if (held) held.push(row);
  else await insertNow(tx, row);
}

const insertNow = async (tx: EntityManager, row: HeldInsert): Promise<void> => {
  if (Array.isArray(row.data)) await tx.insertMany(row.entity, row.data);
  else await tx.insert(row.entity, row.data);
};

/** The transaction's last insert, with every row held so far; nothing is held afterwards. */
export async function insertWithHeld<T extends object>(tx: EntityManager, entity: EntityClass<T>, data: RequiredEntityData<T>): Promise<void> {
  await writeHeld(tx, [...takeHeld(tx), { entity: entity as EntityClass<object>, data: data as RequiredEntityData<object> }]);
}

/** Writes the rows held so far (for a transaction whose last write is not an insert); nothing is held afterwards. */
export async function flushHeld(tx: EntityManager): Promise<void> {
  await writeHeld(tx, takeHeld(tx));
}

function takeHeld(tx: EntityManager): HeldInsert[] {
  const held = heldBy.get(tx) ?? [];
  heldBy.delete(tx);
  return held;
}

async function writeHeld(tx: EntityManager, rows: HeldInsert[]): Promise<void> {
  if (rows.length < 2 || !isPostgres(tx)) {
    for (const row of rows) await insertNow(tx, row);
    return;
  }
  const parts = rows.map((row) => tx.createQueryBuilder(row.entity).insert(row.data).getKnexQuery().toSQL());
  const last = parts.pop()!;
  const sql = `with ${parts.map((part, i) => `h${i} as (${part.sql})`).join(', ')} ${last.sql}`;
  await tx.execute(sql, [...parts.flatMap((part) => part.bindings), ...last.bindings], 'all');
}
