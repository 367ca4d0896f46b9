import { LruMap } from '../../services/shared/lru-map';

/** A statement the libsql package has compiled: run again with new parameters, as better-sqlite3's are. */
export interface LibSqlStatement {
  all(params: unknown[]): Record<string, unknown>[];
  run(params: unknown[]): { changes: number };
}

/** The libsql package's connection as far as compiling a statement. */
export interface LibSqlConnection {
  prepare(text: string): LibSqlStatement;
}

/**
 * Statement texts compiled once per connection and kept: SQLite compiles a
 * text on every prepare, which cost more than running most of the stores'
 * short statements. Bounded by the code's statement shapes (an `in (?)` list
 * is one shape per length), least recently used out first. Kept by the
 * connection object, so a connection the pool replaces takes its statements
 * with it.
 */
export class LibSqlStatements {
  private readonly byConnection = new WeakMap<LibSqlConnection, LruMap<string, LibSqlStatement>>();

  constructor(private readonly perConnection = 500) {}

  of(connection: LibSqlConnection, text: string): LibSqlStatement {
    let compiled = this.byConnection.get(connection);
    if (!compiled) {
      compiled = new LruMap(this.perConnection);
      this.byConnection.set(connection, compiled);
    }
    let statement = compiled.get(text);
    if (!statement) {
      statement = connection.prepare(text);
      compiled.set(text, statement);
    }
    return statement;
  }
}

/**
 * The `?` placeholders as SQLite takes them, an array parameter written out
 * as a list (`in (?)` with three ids is `in (?, ?, ?)`, as the ORM's own
 * formatting expands it), and each value as the ORM wrote it into the text
 * it sent before: a date as epoch milliseconds, a boolean as 1 or 0, an
 * object as JSON.
 */
export function libsqlStatement(sql: string, params: readonly unknown[]): { text: string; values: unknown[] } {
  if (!params.some(Array.isArray)) return { text: sql, values: params.map(boundValue) };
  let index = 0;
  const text = sql.replace(/\?/g, () => {
    const param = params[index++];
    return Array.isArray(param) ? param.map(() => '?').join(', ') : '?';
  });
  return { text, values: params.flatMap((param) => (Array.isArray(param) ? param : [param])).map(boundValue) };
}

/** What the ORM's text formatting wrote for a value, as a parameter: a json column's object as its text, no value as NULL. */
function boundValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value;
}
