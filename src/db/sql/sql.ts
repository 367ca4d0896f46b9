import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from '../orm';
import { libsqlStatement, type LibSqlConnection, type LibSqlStatements } from './libsql-statements';
import { unnamedStatement, type PreparedStatements } from './prepared-statements';

export type Dialect = 'postgresql' | 'libsql';
export type Row = Record<string, unknown>;

/**
 * The one way a store runs a statement. Bound to one EntityManager, so the
 * statement joins that manager's transaction; it goes through MikroORM's
 * connection, so it is logged and counted like the ORM's own statements and
 * its errors are converted to the same exceptions. It is sent to the driver
 * itself: on PostgreSQL prepared when the database's statement cache allows
 * it, on libSQL compiled once per connection.
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
interface ConnectionLender<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<unknown>;
}

export class OrmSql implements Sql {
  constructor(
    private readonly em: EntityManager,
    readonly dialect: Dialect,
    /** Null on libSQL (it compiles its own, below) and when DATABASE_PREPARED_STATEMENTS is off. */
    private readonly prepared: PreparedStatements | null,
    /** The libSQL connections' compiled statements; null on PostgreSQL, and for texts that vary with their caller (compiled per call). */
    private readonly compiled: LibSqlStatements | null = null,
  ) {}

  async rows<T extends object = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (this.dialect === 'postgresql') return (await this.runOnPostgres<T>(text, params)).rows;
    return (await this.runOnLibSql(text, params, 'all')) as T[];
  }

  async write(text: string, params: readonly unknown[] = []): Promise<number> {
    if (this.dialect === 'postgresql') return (await this.runOnPostgres(text, params)).rowCount ?? 0;
    return (await this.runOnLibSql(text, params, 'run')).changes;
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
  private runOnPostgres<T extends object>(text: string, params: readonly unknown[]): Promise<{ rows: T[]; rowCount: number | null }> {
    const statement: { name?: string; text: string; values: readonly unknown[] } = this.prepared?.statementOf(text, params) ?? unnamedStatement(text, params);
    const query = { name: statement.name, text: statement.text, values: [...statement.values] };
    return this.onDriverConnection<PgClient, { rows: T[]; rowCount: number | null }>(text, params, (client) => client.query<T>(query));
  }

  /**
   * The statement run by the libsql package itself, on the connection of the
   * manager's transaction or the one the pool lends, compiled once per
   * connection: the ORM's path wrote every parameter into the text, so SQLite
   * compiled each statement anew on every call. `all` answers the rows of any
   * statement, a write's `returning` included; `run` its change count.
   */
  private runOnLibSql<M extends 'all' | 'run'>(text: string, params: readonly unknown[], method: M): Promise<M extends 'all' ? Row[] : { changes: number }> {
    const statement = libsqlStatement(text, params);
    return this.onDriverConnection<LibSqlConnection, M extends 'all' ? Row[] : { changes: number }>(text, params, (client) => {
      const prepared = this.compiled ? this.compiled.of(client, statement.text) : client.prepare(statement.text);
      return (method === 'all' ? prepared.all(statement.values) : prepared.run(statement.values)) as M extends 'all' ? Row[] : { changes: number };
    });
  }

  /**
   * `use` on the driver's own connection: the transaction's, or one the pool
   * lends for this statement. Timed and logged by MikroORM's connection as its
   * own statements are, and a driver error converted to the same exception.
   */
  private async onDriverConnection<C, R>(text: string, params: readonly unknown[], use: (client: C) => Promise<R> | R): Promise<R> {
    const { connection, lender } = this.driverConnection<C>();
    try {
      return await connection.executeQuery(
        text,
        async () => {
          const client = await lender.acquireConnection();
          try {
            return await use(client);
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

  /** MikroORM's connection (for its log and timing) and who lends the driver's own connection: the transaction's, else the pool's. */
  private driverConnection<C>(): { connection: MikroConnection; lender: ConnectionLender<C> } {
    const connection = this.em.getConnection() as unknown as MikroConnection;
    const transaction = this.em.getTransactionContext<Knex.Transaction>();
    return { connection, lender: (transaction ?? connection.getKnex()).client as unknown as ConnectionLender<C> };
  }
}
