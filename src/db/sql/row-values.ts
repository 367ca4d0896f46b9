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
