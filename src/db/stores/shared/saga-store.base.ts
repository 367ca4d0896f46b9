import type { FilterQuery, FindOptions } from '@mikro-orm/core';
import { SagaExecution, SagaStatus } from '../../../entities';
import type { UnitOfWork } from '../../unit-of-work';
import type { DueCheck } from '../due-check';
import type { SagaStore, StaleSagas } from '../saga-store';

export abstract class SagaStoreBase implements SagaStore {
  /** The claim's row lock. */
  protected abstract readonly claimLock: Pick<FindOptions<SagaExecution>, 'lockMode'>;

  async claimStale(uow: UnitOfWork, stale: StaleSagas, now: Date, limit: number, only?: string): Promise<SagaExecution[]> {
    await uow.readable(SagaExecution);
    const staleRows = { status: { $in: [...stale.unfinished] }, updatedAt: { $lt: stale.staleBefore } };
    const where: FilterQuery<SagaExecution> = only
      ? { id: only, kind: stale.kind, $or: [staleRows, { status: SagaStatus.FAILED }] }
      : { kind: stale.kind, ...staleRows };
    const rows = await uow.em.find(SagaExecution, where, { orderBy: { updatedAt: 'asc' }, limit, ...this.claimLock });
    if (rows.length > 0) await uow.em.nativeUpdate(SagaExecution, { id: { $in: rows.map((row) => row.id) } }, { updatedAt: now });
    return rows;
  }

  staleDue(stale: StaleSagas): DueCheck {
    return {
      sql: 'exists (select 1 from saga_executions where kind = ? and status in (?) and updated_at < ?)',
      params: [stale.kind, stale.unfinished, stale.staleBefore],
    };
  }
}
