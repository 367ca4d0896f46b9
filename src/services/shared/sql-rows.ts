import type { EntityManager } from '../../db/orm';
import { isPostgres } from '../../db/orm';
import { affectedRowsOf } from '../../db/prepared-statements';

/**
 * Raw SQL on the hot paths (cart, checkout, vouchers, stock), run through the
 * ORM's connection, and reading its rows back into numbers, dates and JSON.
 * The few SQL spellings that differ between PostgreSQL and libSQL for those
 * statements: building JSON in the database (so one statement
 * can carry a cart, its lines and its vouchers as one row) and reading a key of
 * a JSON column. Everything else in those statements is plain, shared SQL.
 */
export interface CartDialect {
  /** A JSON object from (key, SQL expression) pairs. */
  object(pairs: readonly (readonly [string, string])[]): string;
  /** A JSON array aggregating `element` over the rows of the enclosing select; `[]` when there are none. */
  array(element: string): string;
  /** A select of the strings of a JSON array column, for `x in (...)`. */
  elements(column: string): string;
  /** A text key of a JSON object column. */
  textKey(column: string, key: string): string;
}

const postgresDialect: CartDialect = {
  object: (pairs) => `json_build_object(${pairs.map(([key, expression]) => `'${key}', ${expression}`).join(', ')})`,
  array: (element) => `coalesce(json_agg(${element}), '[]'::json)`,
  elements: (column) => `select jsonb_array_elements_text(${column})`,
  textKey: (column, key) => `(${column}->>'${key}')`,
};

const libsqlDialect: CartDialect = {
  object: (pairs) => `json_object(${pairs.map(([key, expression]) => `'${key}', ${expression}`).join(', ')})`,
  array: (element) => `json_group_array(${element})`,
  elements: (column) => `select value from json_each(${column})`,
  textKey: (column, key) => `json_extract(${column}, '$.${key}')`,
};

export const cartDialect = (em: EntityManager): CartDialect => (isPostgres(em) ? postgresDialect : libsqlDialect);

/** One statement in the caller's transaction (the em's context); rows as the driver returns them. */
export async function queryRows(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  return em.execute(sql, [...params], 'all');
}

/** Changed-row count of a write run through `em.execute`, whichever driver answered. */
export async function runWrite(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  return affectedRowsOf(await em.execute(sql, [...params], 'run'));
}

/*
 * Column values come back in dialect-specific shapes: PostgreSQL hands bigint
 * as a string, timestamptz as a Date (or an ISO string inside JSON) and json
 * already parsed; libSQL stores DateTimeType columns as epoch milliseconds
 * (MikroORM binds Dates as numbers there) and JSON as text. These read any of them.
 */

/** A safe integer from a number, bigint-as-string or bigint; throws rather than losing precision. */
export function intOf(value: unknown): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`expected a safe integer from the database, got ${String(value)}`);
  return number;
}

export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : intOf(value));

export function dateOf(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') return new Date(/^\d+$/.test(value) ? Number(value) : value);
  throw new TypeError(`expected a date from the database, got ${String(value)}`);
}

export const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : dateOf(value));

export const stringOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A JSON column or JSON built in SQL: text on libSQL, already parsed on PostgreSQL. */
export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
