import { randomBytes } from 'node:crypto';

/** Human-facing order number: date plus random, unique by index (the id stays the real key). */
export function newOrderNumber(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `TG-${day}-${randomBytes(5).toString('hex').toUpperCase()}`;
}
