import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from '../orm';
import type { PreparedStatements } from './prepared-statements';

export type Dialect = 'postgresql' | 'libsql';
export type Row = Record<string, unknown>;

/**
 * The one way a store runs a statement. Bound to one EntityManager, so the
 * statement joins that manager's transaction; it goes through MikroORM's
 * connection, so it is logged and counted like the ORM's own statements and
 * its errors are converted to the same exceptions. On PostgreSQL a statement
 * goes prepared when the database's statement cache allows it.
 *
 * Parameters are `?` placeholders; an array parameter fills an `in (?)` list.
 */
export interface Sql {
  readonly dialect: Dialect;
  /** The rows a select, or a write with `returning`, answers. */
  rows<T extends object = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** How many rows a write changed. */
  write(text: string, params?: readonly unknown[]): Promise<number>;
  /** A timestamp parameter as the dialect stores it (timestamptz on PostgreSQL, epoch milliseconds on libSQL). */
  time(date: Date): unknown;
}

interface MikroConnection {
  getKnex(): Knex;
  /** MikroORM's timing and query log (protected in its typings; the same call its own execute makes). */
  executeQuery<T>(query: string, run: () => Promise<T>, context?: object): Promise<T>;
}

/**
 * The libSQL dialect decides from a statement's text whether it answers rows:
 * a text starting `insert into`, `update` or `delete` is run for its change
 * count, unless it is an insert or update holding ` returning ` between single
 * spaces. The spacing is made so here; a `delete … returning` cannot be read
 * back there at all, so asking for its rows is a programming error rather
 * than a silent empty answer.
 */
function libsqlReadable(text: string): string {
  const spaced = text.trim().replace(/\s+returning\s+/gi, ' returning ');
  const lower = spaced.toLowerCase();
  const writes = /^(insert|update|delete)\b/.test(lower);
  if (writes && !((lower.startsWith('insert into') || lower.startsWith('update ')) && lower.includes(' returning '))) {
    throw new Error(`libSQL cannot read rows back from this statement: ${spaced.slice(0, 60)}…`);
  }
  return spaced;
}

/** Changed-row count of a write, whichever driver answered. */
function changedRows(result: unknown): number {
  if (typeof result === 'number') return result;
  const counts = result as { affectedRows?: number; rowCount?: number; rowsAffected?: number; changes?: number } | null;
  return counts?.affectedRows ?? counts?.rowsAffected ?? counts?.rowCount ?? counts?.changes ?? 0;
}

export class OrmSql implements Sql {
  constructor(
    private readonly em: EntityManager,
    readonly dialect: Dialect,
    /** Null on libSQL (in process: nothing to plan ahead) and when DATABASE_PREPARED_STATEMENTS is off. */
    private readonly prepared: PreparedStatements | null,
  ) {}

  async rows<T extends object = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.runPrepared<T>(text, params);
    if (result) return result.rows;
    const sql = this.dialect === 'libsql' ? libsqlReadable(text) : text;
    return this.em.execute<T[]>(sql, [...params], 'all');
  }

  async write(text: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.runPrepared(text, params);
    if (result) return result.rowCount ?? 0;
    return changedRows(await this.em.execute(text, [...params], 'run'));
  }

  time(date: Date): unknown {
    return this.em.getPlatform().processDateProperty(date);
  }

  /** The statement run prepared, or null when it takes the plain path. */
  private async runPrepared<T extends object>(text: string, params: readonly unknown[]): Promise<{ rows: T[]; rowCount: number | null } | null> {
    const statement = this.prepared?.statementOf(text, params);
    if (!statement) return null;
    const connection = this.em.getConnection() as unknown as MikroConnection;
    const query = connection
      .getKnex()
      .raw(statement.text)
      .options({ name: statement.name, values: [...statement.values] });
    const transaction = this.em.getTransactionContext<Knex.Transaction>();
    if (transaction) query.transacting(transaction);
    try {
      return await connection.executeQuery(text, async () => (await query) as unknown as { rows: T[]; rowCount: number | null }, { query: text, params });
    } catch (error) {
      throw this.em.getDriver().convertException(error as Error);
    }
  }
}
