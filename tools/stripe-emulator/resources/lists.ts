import type { Params } from '../params';

const DEFAULT_LIMIT = 10;

/** Stripe list envelope over already-filtered data, newest first. */
export function listResponse<T extends { created: number }>(url: string, items: readonly T[], params: Params): unknown {
  const limit = params.integer('limit', { min: 1, max: 100 }) ?? DEFAULT_LIMIT;
  const newestFirst = [...items].reverse().sort((a, b) => b.created - a.created);
  return { object: 'list', data: newestFirst.slice(0, limit), has_more: newestFirst.length > limit, url };
}

/** The objects whose named fields equal the query's string filters; a filter absent from the query matches everything. */
export function filterByParams<T>(objects: Iterable<T>, params: Params, fields: readonly (keyof T & string)[]): T[] {
  const wanted = fields.map((field) => [field, params.string(field)] as const);
  return [...objects].filter((object) => wanted.every(([field, value]) => value === undefined || object[field] === value));
}
