import { createHash } from 'node:crypto';
import type { Configuration } from '@mikro-orm/core';

const allowedFor = new WeakMap<Configuration, boolean>();

/**
 * openOrm records DATABASE_PREPARED_STATEMENTS for the ORM it opens: whether
 * the connections behind it may keep named statements (a transaction pooler
 * such as PgBouncer hands each transaction a different server connection, so
 * they may not).
 */
export function setPreparedStatements(config: Configuration, enabled: boolean): void {
  allowedFor.set(config, enabled);
}

/** Whether the ORM with this configuration was opened allowing named statements (yes unless told otherwise). */
export function preparedStatementsAllowed(config: Configuration): boolean {
  return allowedFor.get(config) !== false;
}

/** A statement as PostgreSQL's extended protocol takes it: a name, numbered placeholders, flat values. */
export interface PreparedStatement {
  name: string;
  text: string;
  values: readonly unknown[];
}

/**
 * The statement texts one database has planned, by shape. PostgreSQL plans
 * every statement sent as text; a named statement is planned once per
 * connection and reused, which matters most for the short statements the
 * storefront sends many times a request (the plan can cost more than the
 * execution). Bounded by the code's statement shapes: an `in (?)` list is one
 * shape per length, so past `limit` shapes a statement goes as text.
 *
 * One instance per open database (Database owns it): nothing about a
 * statement is kept in module state.
 */
export class PreparedStatements {
  private readonly shapes = new Map<string, { name: string; text: string }>();

  constructor(private readonly limit = 500) {}

  /**
   * The `?` placeholders numbered as PostgreSQL wants them, an array parameter
   * written out as a list (`in (?)` with three ids is `in ($1, $2, $3)`, as
   * MikroORM's own formatting expands it), and a name that is the text's
   * digest; null once the cache is full.
   */
  statementOf(sql: string, params: readonly unknown[]): PreparedStatement | null {
    // Most statements have no list: their text is their key, and their parameters go as they are.
    const listed = params.some(Array.isArray);
    const lengths = listed ? listLengths(params) : [];
    const key = listed ? `${sql}\u0000${lengths.join(',')}` : sql;
    let shape = this.shapes.get(key);
    if (!shape) {
      if (this.shapes.size >= this.limit) return null;
      const text = numbered(sql, lengths);
      shape = { name: `tg_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
      this.shapes.set(key, shape);
    }
    return { ...shape, values: listed ? flatValues(params) : params };
  }
}

/** The same statement unnamed, for a connection that may not keep named ones (behind a transaction pooler): planned each time. */
export function unnamedStatement(sql: string, params: readonly unknown[]): { text: string; values: readonly unknown[] } {
  if (!params.some(Array.isArray)) return { text: numbered(sql, []), values: params };
  return { text: numbered(sql, listLengths(params)), values: flatValues(params) };
}

const listLengths = (params: readonly unknown[]): number[] => params.map((param) => (Array.isArray(param) ? param.length : -1));
const flatValues = (params: readonly unknown[]): unknown[] => params.flatMap((param) => (Array.isArray(param) ? param : [param]));

function numbered(sql: string, lengths: readonly number[]): string {
  let position = 0;
  let index = 0;
  return sql.replace(/\?/g, () => {
    const length = lengths[index++] ?? -1;
    if (length < 0) return `$${++position}`;
    return Array.from({ length }, () => `$${++position}`).join(', ');
  });
}
