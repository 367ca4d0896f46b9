import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from '../orm';
import { unnamedStatement, type PreparedStatements } from './prepared-statements';

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

/** The node-postgres client under a knex connection: the one call a prepared statement needs. */
interface PgClient {
  query<T>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: T[]; rowCount: number | null }>;
}

/** Knex's client as far as lending out its driver connections (a transaction's client lends the transaction's own). */
interface ConnectionLender {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
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
    if (this.dialect === 'postgresql') return (await this.runOnPostgres<T>(text, params)).rows;
    return this.em.execute<T[]>(libsqlReadable(text), [...params], 'all');
  }

  async write(text: string, params: readonly unknown[] = []): Promise<number> {
    if (this.dialect === 'postgresql') return (await this.runOnPostgres(text, params)).rowCount ?? 0;
    return changedRows(await this.em.execute(text, [...params], 'run'));
  }

  time(date: Date): unknown {
    return this.em.getPlatform().processDateProperty(date);
  }

  /**
   * The statement sent to node-postgres itself, on the connection of the
   * manager's transaction or one the pool lends for this statement: knex's
   * builder and runner would only rebuild the same text on every call. Named
   * (planned once per connection) while the database's statement cache
   * allows it, else unnamed.
   */
  private async runOnPostgres<T extends object>(text: string, params: readonly unknown[]): Promise<{ rows: T[]; rowCount: number | null }> {
    const statement: { name?: string; text: string; values: readonly unknown[] } = this.prepared?.statementOf(text, params) ?? unnamedStatement(text, params);
    const connection = this.em.getConnection() as unknown as MikroConnection;
    const transaction = this.em.getTransactionContext<Knex.Transaction>();
    const lender = (transaction ?? connection.getKnex()).client as unknown as ConnectionLender;
    const query = { name: statement.name, text: statement.text, values: [...statement.values] };
    try {
      return await connection.executeQuery(
        text,
        async () => {
          const client = await lender.acquireConnection();
          try {
            return await client.query<T>(query);
          } finally {
            await lender.releaseConnection(client);
          }
        },
        { query: text, params },
      );
    } catch (error) {
      throw this.em.getDriver().convertException(error as Error);
    }
  }
}
