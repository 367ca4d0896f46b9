/**
 * Decoder for Stripe's form encoding: `metadata[order_id]=7`,
 * `line_items[0][price_data][currency]=usd`, `expand[]=latest_charge`.
 * Numeric-only keys become arrays (ordered by index), everything else objects.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormDecodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormDecodingError';
  }
}

// Built with null prototypes so keys like `__proto__` are plain data.
type Node = { [key: string]: Node | string };

export function decodeForm(encoded: string): FormObject {
  const root: Node = Object.create(null) as Node;
  for (const pair of encoded.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const rawKey = separator === -1 ? pair : pair.slice(0, separator);
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1);
    assign(root, parseKey(decodeComponent(rawKey)), decodeComponent(rawValue));
  }
  return finalize(root) as FormObject;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new FormDecodingError(`Invalid percent-encoding in request: ${text}`);
  }
}

function parseKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const bracket = /\[([^[\]]*)\]/g;
  let consumed = 0;
  for (let match = bracket.exec(rest); match; match = bracket.exec(rest)) {
    if (match.index !== consumed) break;
    segments.push(match[1] ?? '');
    consumed = bracket.lastIndex;
  }
  if (segments[0] === '' || consumed !== rest.length) throw new FormDecodingError(`Invalid parameter name: ${key}`);
  return segments;
}

function assign(root: Node, segments: string[], value: string): void {
  let node = root;
  for (let i = 0; i < segments.length - 1; i += 1) {
    const name = segmentName(node, segments[i] ?? '');
    const existing = node[name];
    if (typeof existing === 'string') throw conflict(segments);
    if (existing === undefined) {
      const child = Object.create(null) as Node;
      node[name] = child;
      node = child;
    } else {
      node = existing;
    }
  }
  const last = segmentName(node, segments[segments.length - 1] ?? '');
  if (typeof node[last] === 'object') throw conflict(segments);
  node[last] = value;
}

/** `key[]` appends: its index is the number of entries already present. */
function segmentName(node: Node, segment: string): string {
  return segment === '' ? String(Object.keys(node).length) : segment;
}

function conflict(segments: string[]): FormDecodingError {
  return new FormDecodingError(`Parameter ${segments[0]} is given both as a value and as a hash`);
}

function finalize(node: Node | string): FormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finalize(node[String(index)] as Node | string));
  }
  return Object.fromEntries(keys.map((key) => [key, finalize(node[key] as Node | string)]));
}

/** JSON with object keys sorted, so equal parameter sets compare equal whatever their order on the wire. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
