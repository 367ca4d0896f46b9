import type { Params } from '../params';

const DEFAULT_LIMIT = 10;

/** Stripe list envelope over already-filtered data, newest first. */
export function listResponse<T extends { created: number }>(url: string, items: readonly T[], params: Params): unknown {
  const limit = params.integer('limit', { min: 1, max: 100 }) ?? DEFAULT_LIMIT;
  const newestFirst = [...items].reverse().sort((a, b) => b.created - a.created);
  return { object: 'list', data: newestFirst.slice(0, limit), has_more: newestFirst.length > limit, url };
}
