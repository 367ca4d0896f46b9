import type { EntityManager } from '../../db/orm';

/**
 * "Would runOnce find work at `now`?" as one SQL boolean expression, an
 * `exists (…)` over an index, so asking it every tick costs next to nothing.
 * It must say yes whenever the worker would find work; saying yes when it would
 * not only costs a round (after which the worker rests for its interval).
 */
export interface DueCheck {
  sql: string;
  params: readonly unknown[];
}

export type DueProbe = (em: EntityManager, now: Date) => DueCheck;

/**
 * Asks every check in ONE statement, `select (exists …) as d0, (exists …) as d1, …`,
 * and answers which are due, in order. PostgreSQL answers booleans, libSQL 0/1.
 */
export async function whichAreDue(em: EntityManager, checks: readonly DueCheck[]): Promise<boolean[]> {
  if (checks.length === 0) return [];
  const sql = `select ${checks.map((check, i) => `(${check.sql}) as d${i}`).join(', ')}`;
  const [row] = await em.execute<Record<string, unknown>[]>(
    sql,
    checks.flatMap((check) => [...check.params]),
    'all',
  );
  return checks.map((_, i) => row?.[`d${i}`] === true || Number(row?.[`d${i}`]) === 1);
}
