import type { SqlEntityManager } from '@mikro-orm/knex';

/** Which database an EntityManager talks to: the few statements that differ by dialect ask this. */
export function isPostgres(em: SqlEntityManager): boolean {
  return em.getPlatform().constructor.name.startsWith('PostgreSql');
}
