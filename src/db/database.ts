import type { EntityManager, Orm } from './orm';
import { PreparedStatements, preparedStatementsAllowed } from './sql/prepared-statements';
import { OrmSql, type Dialect, type Sql } from './sql/sql';
import { UnitOfWork } from './unit-of-work';

/**
 * An open database as the stores see it: which dialect, the statements it has
 * planned, and the two ways to work on it — `sql(em)` for a statement in a
 * manager's transaction, `transaction(em, work)` for a unit of work.
 */
export class Database {
  readonly dialect: Dialect;
  private readonly prepared: PreparedStatements | null;

  constructor(
    readonly orm: Orm,
    options: { preparedStatements?: boolean } = {},
  ) {
    this.dialect = orm.em.getPlatform().constructor.name.startsWith('PostgreSql') ? 'postgresql' : 'libsql';
    // Both must allow it: the setting the ORM was opened with (its connections may sit behind a pooler) and the caller's.
    const prepare = this.dialect === 'postgresql' && options.preparedStatements !== false && preparedStatementsAllowed(orm.config);
    this.prepared = prepare ? new PreparedStatements() : null;
  }

  /**
   * Statements in `em`'s transaction (none: each statement on its own).
   * `prepared: false` sends them as text: for a statement whose text varies
   * with its caller (one shape per combination), which would otherwise take a
   * slot of the bounded statement cache for each.
   */
  sql(em: EntityManager, options: { prepared?: boolean } = {}): Sql {
    return new OrmSql(em, this.dialect, options.prepared === false ? null : this.prepared);
  }

  /** Answers once the database does (readiness probes); throws when it cannot be reached. */
  async ping(): Promise<void> {
    await this.sql(this.orm.em.fork()).rows('select 1');
  }

  /** A unit of work over a transaction the caller already opened. */
  unitOfWork(tx: EntityManager): UnitOfWork {
    return new UnitOfWork(tx, this.sql(tx));
  }

  /**
   * `work` in one transaction on a fresh fork of `em`; its deferred rows are
   * sent before the commit, so none is ever lost with the transaction.
   */
  async transaction<T>(em: EntityManager, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return em.fork().transactional(async (tx) => {
      const uow = this.unitOfWork(tx as EntityManager);
      const value = await work(uow);
      await uow.flush();
      return value;
    });
  }
}
