import type { SagaExecution, SagaStatus } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

/** Sagas whose process is presumed dead: of `kind`, left in one of `unfinished`, not moved since before `staleBefore`. */
export interface StaleSagas {
  kind: string;
  unfinished: readonly SagaStatus[];
  staleBefore: Date;
}

/** Saga executions: what recovery claims. */
export interface SagaStore {
  /**
   * In the unit of work's transaction: up to `limit` stale sagas, least
   * recently moved first, or only the saga `only` (an operator's word), which
   * may then also be FAILED. Leased by setting their updatedAt to `now`, so no
   * other recovery takes them within a grace period; on PostgreSQL locked FOR
   * UPDATE SKIP LOCKED, so concurrent recoveries take disjoint sagas (libSQL
   * has one writer).
   */
  claimStale(uow: UnitOfWork, stale: StaleSagas, now: Date, limit: number, only?: string): Promise<SagaExecution[]>;
  /** Whether `claimStale` would find a saga (the same filter, over the (status, updated_at) index). */
  staleDue(stale: StaleSagas): DueCheck;
}
