import type { Dialect } from './sql';

/**
 * The SQL spellings of JSON that differ between PostgreSQL and libSQL:
 * building JSON in the database, so one statement can carry a row with its
 * children (a cart, its lines and its vouchers as one row), and reading a key
 * or the elements of a JSON column. Everything around them is plain SQL both
 * dialects share.
 */
export interface JsonSql {
  /** A JSON object from (key, SQL expression) pairs. */
  object(pairs: readonly (readonly [string, string])[]): string;
  /** A JSON array aggregating `element` over the rows of the enclosing select; `[]` when there are none. */
  array(element: string): string;
  /** A select of the strings of a JSON array column, for `x in (...)`. */
  elements(column: string): string;
  /** A text key of a JSON object column. */
  textKey(column: string, key: string): string;
}

const pairList = (pairs: readonly (readonly [string, string])[]): string => pairs.map(([key, expression]) => `'${key}', ${expression}`).join(', ');

export const postgresJson: JsonSql = {
  object: (pairs) => `json_build_object(${pairList(pairs)})`,
  array: (element) => `coalesce(json_agg(${element}), '[]'::json)`,
  elements: (column) => `select jsonb_array_elements_text(${column})`,
  textKey: (column, key) => `(${column}->>'${key}')`,
};

export const libsqlJson: JsonSql = {
  object: (pairs) => `json_object(${pairList(pairs)})`,
  array: (element) => `json_group_array(${element})`,
  elements: (column) => `select value from json_each(${column})`,
  textKey: (column, key) => `json_extract(${column}, '$.${key}')`,
};

export const jsonSqlOf = (dialect: Dialect): JsonSql => (dialect === 'postgresql' ? postgresJson : libsqlJson);
