import { DriverException } from '@mikro-orm/core';

/**
 * What must never reach a log line or the log sink's published payloads:
 * credentials, bearer tokens, Stripe client secrets, and guest cart
 * ids, which are access keys. One list, applied by the logger to every line.
 *
 * A field is hidden when its name, compared without case, `-` or `_`, is or
 * ends with an entry: `clientSecret`, `client_secret` and `webhookSecret` all
 * end with `secret`; `X-Api-Key` ends with `apiKey`; `orderToken` with `token`.
 */
export const REDACTED_FIELDS: readonly string[] = [
  'token',
  'password',
  'passwordHash',
  'clientSecret',
  'secret',
  'authorization',
  'cookie',
  'x-api-key',
  'apiKey',
  'cartId',
];

export const REDACTED = '[redacted]';

const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const NORMALIZED_FIELDS = REDACTED_FIELDS.map(normalize);

export const isRedactedField = (name: string): boolean => {
  const key = normalize(name);
  return NORMALIZED_FIELDS.some((field) => key.endsWith(field));
};

/**
 * Secrets recognised by their shape wherever they appear, e.g. inside an error
 * message or a stack: a field name cannot protect a value that was already
 * pasted into a sentence.
 */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/\bBearer\s+[\w.~+/=-]+/gi, `Bearer ${REDACTED}`],
  // JWTs: base64url header and payload, both JSON objects, so both start "eyJ".
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED],
  // Our password hashes (passwords.ts): scrypt$N$r$p$salt$hash.
  [/\bscrypt\$[\w$+/=.]+/g, REDACTED],
  // Stripe: PaymentIntent / SetupIntent / Checkout Session client secrets, API keys, webhook secrets.
  [/\b[a-z]+_\w+?_secret_\w+/g, REDACTED],
  [/\b(?:sk|rk)_(?:live|test)_\w+/g, REDACTED],
  [/\bwhsec_\w+/g, REDACTED],
  // Partner keys (partner-key-secret.ts): the prefix names the key and stays, the secret goes.
  [/\b(tgk_[\w-]{12})\.[\w-]+/g, `$1.${REDACTED}`],
];

export function redactText(text: string): string {
  let result = text;
  for (const [shape, replacement] of SECRET_SHAPES) result = result.replace(shape, replacement);
  return result;
}

/** A database error, whether MikroORM wrapped it or it came from pg / libSQL directly. */
export function isDatabaseError(error: Error): boolean {
  if (error instanceof DriverException) return true;
  const { code, severity, routine } = error as Error & { code?: unknown; severity?: unknown; routine?: unknown };
  return typeof code === 'string' && (code.startsWith('SQLITE_') || (typeof severity === 'string' && typeof routine === 'string'));
}

/**
 * SQL literals: '...' with '' or backslash escapes (knex writes both styles).
 * An unclosed one runs to the end: libSQL cuts a statement at a NUL byte and
 * quotes the rest in its message.
 */
const SQL_STRING = /(?:\b[EeXx])?'(?:[^'\\]|''|\\[\s\S])*(?:'|$)/g;
const SQL_NUMBER = /(?<![\w$.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w$])/gi;
const QUOTED = /"(?:[^"\\]|\\[\s\S])*(?:"|$)/g;
const MAX_STATEMENT_CHARS = 500;

/** The statement with every value replaced by `?`: what ran, never with what. */
export function statementShape(sql: string): string {
  const shape = sql.replace(SQL_STRING, '?').replace(SQL_NUMBER, '?').replace(/\s+/g, ' ').trim();
  return shape.length > MAX_STATEMENT_CHARS ? `${shape.slice(0, MAX_STATEMENT_CHARS)}…` : shape;
}

/**
 * MikroORM (through knex) puts the whole statement with its values inlined into
 * the message, `<sql> - <driver message>`; the driver message itself may quote
 * a value (`invalid input syntax for type uuid: "…"`, `unrecognized token: "'…"`),
 * and PostgreSQL's `detail` repeats the key (`Key (email)=(…) already exists`).
 * Kept: the error's class and code, the constraint, table and column the
 * driver names, the statement's shape, and the driver's words without anything
 * quoted. Dropped: message, detail, parameters.
 */
function describeDatabaseError(error: Error): Record<string, unknown> {
  const fields = error as Error & Record<string, unknown>;
  // Literals first: a value may itself contain " - ".
  const masked = error.message.replace(SQL_STRING, '?');
  const split = masked.indexOf(' - ');
  const statement = split >= 0 ? masked.slice(0, split) : null;
  const reason = (split >= 0 ? masked.slice(split + 3) : masked).replace(QUOTED, '"?"').split('\n')[0];
  const described: Record<string, unknown> = { name: error.name, code: fields.code, reason };
  for (const key of ['sqlState', 'constraint', 'table', 'column'] as const) {
    if (typeof fields[key] === 'string') described[key] = fields[key];
  }
  if (statement) described.statement = statementShape(statement);
  described.stack = stackFrames(error);
  return described;
}

/** Only the "at ..." lines: the first lines of a stack repeat the message. */
const stackFrames = (error: Error): string | undefined =>
  error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');

const MAX_CAUSE_DEPTH = 3;

function describeError(error: Error, depth: number): Record<string, unknown> {
  if (isDatabaseError(error)) return describeDatabaseError(error);
  // A GraphQLError made from a thrown error copies its message: describe the thrown one.
  const original = (error as { originalError?: unknown }).originalError;
  if (original instanceof Error && original !== error && depth < MAX_CAUSE_DEPTH) {
    return { ...describeError(original, depth + 1), wrappedIn: error.name };
  }
  const described: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') described.code = code;
  if (error.cause instanceof Error && depth < MAX_CAUSE_DEPTH) described.cause = describeError(error.cause, depth + 1);
  return described;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to write to a log: errors described (database errors
 * without values), redacted fields replaced, secret shapes masked in every
 * string. A value found under a redacted field is also masked where it repeats
 * elsewhere in the same value (an outbox event's aggregateId is its cart id).
 */
export function redactForLog(fields: Record<string, unknown>): Record<string, unknown> {
  const hidden = new Set<string>();
  const first = walk(fields, 0, new WeakSet(), redactText, hidden);
  if (hidden.size === 0) return first as Record<string, unknown>;
  const repeated = [...hidden];
  const maskRepeats = (text: string) => repeated.reduce((out, secret) => out.split(secret).join(REDACTED), text);
  return walk(first, 0, new WeakSet(), maskRepeats, null) as Record<string, unknown>;
}

function walk(value: unknown, depth: number, seen: WeakSet<object>, text: (s: string) => string, hidden: Set<string> | null): unknown {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) return walk(describeError(value, 0), depth, seen, text, hidden);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    // Dates, Buffers, entities (MikroORM's toJSON leaves hidden properties out).
    return walk((value as { toJSON(): unknown }).toJSON(), depth, new WeakSet(), text, hidden);
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen, text, hidden));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null && field !== undefined && isRedactedField(key)) {
      // Short values (an empty string, "Bearer") are not worth chasing through the rest of the line.
      if (typeof field === 'string' && field.length >= 8) hidden?.add(field);
      copy[key] = REDACTED;
    } else {
      copy[key] = walk(field, depth + 1, seen, text, hidden);
    }
  }
  return copy;
}
