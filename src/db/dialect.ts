import { LockMode } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';

/** Which database an EntityManager talks to: the few statements that differ by dialect ask this. */
export function isPostgres(em: SqlEntityManager): boolean {
  return em.getPlatform().constructor.name.startsWith('PostgreSql');
}

/**
 * The find options that lock the rows read for the rest of the transaction:
 * `for update` on PostgreSQL. libSQL has a single writer, so its write
 * transactions are serialized already and need no lock clause.
 */
export function writeLock(em: SqlEntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE } {
  return isPostgres(em) ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
}
