import type { EntityClass, EntityData, FilterQuery } from '@mikro-orm/core';
import type { EntityManager, Orm } from './orm';
import { entityUpdate } from './sql/entity-statements';
import { LibSqlStatements } from './sql/libsql-statements';
import { PreparedStatements, preparedStatementsAllowed } from './sql/prepared-statements';
import { OrmSql, type Dialect, type Sql } from './sql/sql';
import { RequestSession, statementsOf, type Session } from './request-session';
import { UnitOfWork } from './unit-of-work';

/** The Database opened over each ORM (by its configuration), for writes that reach it through an EntityManager alone. */
const openOver = new WeakMap<object, Database>();

/**
 * An open database as the stores see it: which dialect, the statements it has
 * planned, and the two ways to work on it — `sql(em)` for a statement in a
 * manager's transaction, `transaction(em, work)` for a unit of work.
 */
export class Database {
  readonly dialect: Dialect;
  private readonly prepared: PreparedStatements | null;
  private readonly compiled: LibSqlStatements | null;
  /** The manager a request's statements run on until it forks its own (RequestSession); nothing loads entities into it. */
  private readonly shared: EntityManager;

  constructor(
    readonly orm: Orm,
    options: { preparedStatements?: boolean } = {},
  ) {
    this.dialect = orm.em.getPlatform().constructor.name.startsWith('PostgreSql') ? 'postgresql' : 'libsql';
    // Both must allow it: the setting the ORM was opened with (its connections may sit behind a pooler) and the caller's.
    const prepare = this.dialect === 'postgresql' && options.preparedStatements !== false && preparedStatementsAllowed(orm.config);
    this.prepared = prepare ? new PreparedStatements() : null;
    this.compiled = this.dialect === 'libsql' ? new LibSqlStatements() : null;
    this.shared = orm.em.fork({ disableContextResolution: true });
    openOver.set(orm.config, this);
  }

  /** A request's way to the database: its own manager is forked only if it loads an entity. */
  session(): RequestSession {
    return new RequestSession(this.shared);
  }

  /**
   * `update … set data where filter` in `em`'s transaction, answering how many
   * rows changed. A simple shape (status moves are) is written from the
   * entity's metadata and sent like a store's statement; anything else is the
   * ORM's nativeUpdate, which writes the same update.
   */
  static async updateRows<T extends object>(em: EntityManager, entity: EntityClass<T>, filter: FilterQuery<T>, data: EntityData<T>): Promise<number> {
    const db = openOver.get(em.config);
    if (db) {
      const meta = em.getMetadata().get<T>(entity.name);
      const update = entityUpdate(meta, em.getPlatform(), filter as Record<string, unknown>, data as Record<string, unknown>);
      if (update) return db.sql(em).write(update.text, update.params);
    }
    return em.nativeUpdate(entity, filter, data);
  }

  /**
   * The same update as text with `?` placeholders, for a PostgreSQL store that
   * sends it as part of a larger statement (a data-modifying CTE). A list
   * parameter stays one array, as the store's own `in (?)` parameters do.
   */
  static updateSql<T extends object>(
    em: EntityManager,
    entity: EntityClass<T>,
    filter: FilterQuery<T>,
    data: EntityData<T>,
  ): { sql: string; bindings: unknown[] } {
    const update = entityUpdate(em.getMetadata().get<T>(entity.name), em.getPlatform(), filter as Record<string, unknown>, data as Record<string, unknown>);
    if (update) return { sql: update.text, bindings: update.params };
    const { sql, bindings } = em.createQueryBuilder(entity).update(data).where(filter).getKnexQuery().toSQL();
    return { sql, bindings: [...bindings] };
  }

  /**
   * Statements in `em`'s transaction (none: each statement on its own).
   * `prepared: false` sends them as text on PostgreSQL and compiles them for
   * the one call on libSQL: for a statement whose text varies with its caller
   * (one shape per combination), which would otherwise take a slot of the
   * bounded statement caches for each.
   */
  sql(em: EntityManager, options: { prepared?: boolean } = {}): Sql {
    if (options.prepared === false) return new OrmSql(em, this.dialect, null, null);
    return new OrmSql(em, this.dialect, this.prepared, this.compiled);
  }

  /** Answers once the database does (readiness probes); throws when it cannot be reached. */
  async ping(): Promise<void> {
    await this.sql(this.orm.em.fork()).rows('select 1');
  }

  /**
   * A unit of work over a transaction the caller already opened, or, outside
   * one, each statement on its own (a request's session forks its manager
   * only if a store asks the unit for it).
   */
  unitOfWork(session: Session): UnitOfWork {
    if (session instanceof RequestSession) return new UnitOfWork(session, this.sql(session.statements));
    return new UnitOfWork(session, this.sql(session));
  }

  /**
   * `work` in one transaction on a fresh fork; its deferred rows are sent
   * before the commit, so none is ever lost with the transaction, and the
   * fork's own entity changes are flushed by the commit. Begun and ended on
   * the fork itself (em.begin, em.commit): `em.transactional` would fork a
   * second manager, enter an async context for it and merge its entities
   * back into this fork, which is thrown away right after.
   */
  async transaction<T>(session: Session, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const tx = statementsOf(session).fork() as EntityManager;
    await tx.begin();
    try {
      const uow = this.unitOfWork(tx);
      const value = await work(uow);
      await uow.flush();
      await tx.commit();
      return value;
    } catch (error) {
      if (tx.isInTransaction()) await tx.rollback();
      throw error;
    }
  }
}
