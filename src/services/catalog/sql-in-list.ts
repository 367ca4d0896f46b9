/**
 * `?, ?, ?` for an `in (...)` of n values: the catalog's raw statements bind
 * every value (never inline it), on both dialects (knex turns `?` into `$n` for PostgreSQL).
 */
export const inList = (n: number): string => new Array<string>(n).fill('?').join(', ');
