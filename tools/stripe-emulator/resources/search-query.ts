import { invalidRequest } from '../errors';

/** One `field:'value'` clause of Stripe's search query language. */
export interface SearchClause {
  /** `metadata` for `metadata['key']`, otherwise the field name. */
  field: string;
  metadataKey?: string;
  value: string;
}

// metadata['order_id']:'X'  |  metadata["order_id"]:"X"  |  status:'succeeded'  |  amount:500
const CLAUSE = /^(?:metadata\[(['"])(.+?)\1\]|([a-z_]+)):(?:(['"])(.*?)\4|(\d+))$/;

/**
 * The subset of Stripe's search syntax the emulator supports: exact-match
 * clauses joined by AND. Anything else is refused rather than half-understood.
 */
export function parseSearchQuery(query: string, searchableFields: readonly string[]): SearchClause[] {
  const clauses = query.trim().split(/\s+AND\s+/);
  return clauses.map((text) => {
    const match = CLAUSE.exec(text.trim());
    if (!match) {
      throw invalidRequest(`The emulator cannot parse search clause "${text}". Supported: metadata['key']:'value', field:'value', joined by AND.`, {
        param: 'query',
      });
    }
    const value = match[5] ?? match[6] ?? '';
    if (match[2] !== undefined) return { field: 'metadata', metadataKey: match[2], value };
    const field = match[3] ?? '';
    if (!searchableFields.includes(field)) throw invalidRequest(`Field '${field}' is not searchable.`, { param: 'query' });
    return { field, value };
  });
}

export function matchesSearch(object: { metadata: Record<string, string> } & object, clauses: readonly SearchClause[]): boolean {
  return clauses.every((clause) => {
    if (clause.field === 'metadata') return object.metadata[clause.metadataKey ?? ''] === clause.value;
    return String((object as Record<string, unknown>)[clause.field]) === clause.value;
  });
}
