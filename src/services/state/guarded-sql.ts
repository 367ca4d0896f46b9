import type { EntityManager } from '../../db/orm';

/**
 * Runs one guarded counter update (`… set n = n ± ? where id = ? and <guard>`)
 * inside the caller's transaction and returns how many rows it changed; 0 means
 * the guard refused (a cap reached, stock short). The transaction context must
 * be passed explicitly, or the statement would run on another pooled connection,
 * outside the transaction.
 */
export async function guardedUpdate(tx: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  const result = await tx.getConnection().execute(sql, [...params], 'run', tx.getTransactionContext());
  return affectedRows(result);
}

/** Rows changed by a raw `run` statement, whichever driver answered. */
function affectedRows(result: unknown): number {
  const value = result as { affectedRows?: number; rowCount?: number; rowsAffected?: number; changes?: number } | number | null;
  if (typeof value === 'number') return value;
  return value?.affectedRows ?? value?.rowsAffected ?? value?.rowCount ?? value?.changes ?? 0;
}
