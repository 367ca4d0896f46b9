import { invalidRequest } from './errors';
import type { StripeObject } from './objects';

/** Fields holding ids of objects the emulator keeps. */
const EXPANDABLE_FIELDS = new Set(['latest_charge', 'payment_intent', 'charge', 'source_transaction', 'transfer']);

/**
 * Checked before the request executes, so a bad `expand[]` is refused
 * without side effects (and without an idempotency record).
 */
export function assertExpandable(paths: readonly string[]): void {
  for (const path of paths) {
    const field = path.startsWith('data.') ? path.slice('data.'.length) : path;
    if (!EXPANDABLE_FIELDS.has(field)) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
  }
}

/** Stripe's `expand[]`: replace an id-valued field by the object it names (top level, or `data.<field>` on lists). */
export function expandResponse(body: unknown, paths: readonly string[], find: (id: string) => StripeObject | undefined): unknown {
  if (paths.length === 0 || body === null || typeof body !== 'object') return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const path of paths) {
    if (path.startsWith('data.') && Array.isArray(copy.data)) {
      for (const item of copy.data as Record<string, unknown>[]) expandField(item, path.slice('data.'.length), find);
    } else {
      expandField(copy, path, find);
    }
  }
  return copy;
}

function expandField(target: Record<string, unknown>, field: string, find: (id: string) => StripeObject | undefined): void {
  const value = target[field];
  const found = typeof value === 'string' ? find(value) : undefined;
  if (found) target[field] = structuredClone(found);
}
