import type { EntityClass, RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from './orm';
import { RequestSession } from './request-session';
import { entityInsert } from './sql/entity-statements';
import type { Sql } from './sql/sql';

/** Rows of one table that one deferred insert writes (one row, or one multi-row insert). */
interface DeferredInsert {
  entity: EntityClass<object>;
  data: RequiredEntityData<object> | RequiredEntityData<object>[];
}

/**
 * One transaction and the writes it has yet to send; stores take it as their
 * first argument, and `em` and `sql` run in its transaction. Outside a
 * transaction (`Database.unitOfWork` over a request's manager) each statement
 * commits on its own and nothing can be deferred.
 *
 * Some rows are written and never read back in their transaction (an outbox
 * event, a completed idempotency record, an order's lines). They need not be a
 * statement of their own: `defer` keeps them, and they go out with the
 * transaction's next insert (`insert`), or at its end (`flush`). On PostgreSQL
 * that is ONE statement, `with d0 as (insert …), d1 as (insert …) insert …`,
 * atomic like any other, each row written exactly as its own insert would write
 * it. libSQL runs in process, with no round trip to save, so there they are
 * written one after the other.
 *
 * A deferred row is not in the database until then: a store method that reads
 * a table rows may be deferred for calls `readable(entity)` first, which
 * sends them (and only costs a statement when some are waiting).
 */
export class UnitOfWork {
  private deferred: DeferredInsert[] = [];

  constructor(
    /** The transaction's manager, or a request's session outside one (its manager forked only when asked for); a transaction the unit opens (Database.transaction) forks from it. */
    readonly session: EntityManager | RequestSession,
    readonly sql: Sql,
  ) {}

  /** The manager the unit's entity reads and writes go through (a request's is forked on first use). */
  get em(): EntityManager {
    return this.session instanceof RequestSession ? this.session.em : this.session;
  }

  /** Keeps rows nothing reads back in this transaction for its next insert (or its end). */
  defer<T extends object>(entity: EntityClass<T>, data: RequiredEntityData<T> | RequiredEntityData<T>[]): void {
    if (Array.isArray(data) && data.length === 0) return;
    // Outside a transaction nothing would send them: a deferred row there would be lost.
    if (this.session instanceof RequestSession || !this.session.isInTransaction())
      throw new Error('UnitOfWork.defer needs a transaction (Database.transaction)');
    this.deferred.push({ entity: entity as EntityClass<object>, data: data as DeferredInsert['data'] });
  }

  /** Inserts the row, with every deferred row, in one statement where the dialect allows. */
  async insert<T extends object>(entity: EntityClass<T>, data: RequiredEntityData<T> | RequiredEntityData<T>[]): Promise<void> {
    this.defer(entity, data);
    await this.flush();
  }

  /** Sends the deferred rows of `entity`'s table (and those deferred before them) before a read of that table. */
  async readable(entity: EntityClass<object>): Promise<void> {
    if (this.deferred.some((row) => row.entity === entity)) await this.flush();
  }

  /** Sends every deferred row now; the transaction's runner calls it before commit. */
  async flush(): Promise<void> {
    const rows = this.deferred;
    this.deferred = [];
    if (rows.length === 0) return;
    if (this.sql.dialect === 'libsql') {
      for (const row of rows) await this.insertNow(row);
      return;
    }
    const parts = rows.map((row) => this.insertStatement(row));
    const last = parts.pop()!;
    const text = parts.length === 0 ? last.text : `with ${parts.map((part, i) => `d${i} as (${part.text})`).join(', ')} ${last.text}`;
    await this.sql.write(text, [...parts.flatMap((part) => part.params), ...last.params]);
  }

  /** Whether rows are waiting to be sent (a transaction must not commit with any). */
  get pending(): boolean {
    return this.deferred.length > 0;
  }

  /** The row's insert on PostgreSQL: written from the entity's metadata where the shape allows (it nearly always does), else by the ORM's query builder. */
  private insertStatement(row: DeferredInsert): { text: string; params: unknown[] } {
    const data = (Array.isArray(row.data) ? row.data : [row.data]) as Record<string, unknown>[];
    const direct = entityInsert(this.em.getMetadata().get(row.entity.name), this.em.getPlatform(), data);
    if (direct) return direct;
    const { sql, bindings } = this.em.createQueryBuilder(row.entity).insert(row.data).getKnexQuery().toSQL();
    return { text: sql, params: [...bindings] };
  }

  /** One row's insert on its own (libSQL): from the entity's metadata where the shape allows, else the ORM's. */
  private async insertNow(row: DeferredInsert): Promise<void> {
    const direct = entityInsert(
      this.em.getMetadata().get(row.entity.name),
      this.em.getPlatform(),
      (Array.isArray(row.data) ? row.data : [row.data]) as Record<string, unknown>[],
    );
    if (direct) await this.sql.write(direct.text, direct.params);
    else if (Array.isArray(row.data)) await this.em.insertMany(row.entity, row.data);
    else await this.em.insert(row.entity, row.data);
  }
}
