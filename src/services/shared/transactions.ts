import type { EntityManager } from '../../db/orm';
import { FailureSignal, success, type Outcome } from './outcome';

/**
 * Runs `work` in one short transaction on a fresh fork. A FailureSignal rolls
 * back and comes out as a failed Outcome; anything else is a fault and rethrown.
 */
export async function transactionalOutcome<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<Outcome<T>> {
  try {
    const value = await em.fork().transactional((tx) => work(tx as EntityManager));
    return success(value);
  } catch (error) {
    if (error instanceof FailureSignal) return { ok: false, failure: error.failure };
    throw error;
  }
}
