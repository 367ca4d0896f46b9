import type { EntityManager } from './orm';
import { isPostgres } from './orm';

/**
 * A date as a parameter of hand-written SQL, stored the way MikroORM's
 * DateTimeType stores it: a timestamp on PostgreSQL, epoch milliseconds on
 * libSQL (so rows written either way read back alike).
 */
export function sqlDate(em: EntityManager, date: Date): Date | number {
  return isPostgres(em) ? date : date.getTime();
}
