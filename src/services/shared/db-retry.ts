import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);

/** Deadlocks and serialization failures: the database asks us to simply try again. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof DeadlockException || error instanceof LockWaitTimeoutException) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_SQLSTATES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /SQLITE_BUSY|database is locked/i.test(message);
}

/** Re-runs a whole transaction after a transient database failure (house rule 4, docs/design.md). */
export async function retryTransient<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientDatabaseError(error)) throw error;
    }
  }
}
