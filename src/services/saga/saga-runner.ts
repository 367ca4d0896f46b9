import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { SagaExecution, SagaStatus } from '../../entities';
import { FailureSignal, success, type Outcome } from '../shared/outcome';
import { logger } from '../shared/logger';
import { transition } from '../state/transition';
import { retryTransient } from './retry';
import {
  SagaLeftForRecovery,
  SagaSupersededError,
  SimulatedCrash,
  StepTimeoutError,
  type SagaFaults,
  type SagaRecordData,
  type SagaStep,
  type StepContext,
} from './saga-types';

export interface SagaDefinition<Input, Deps> {
  readonly kind: string;
  readonly steps: readonly SagaStep<Input, Deps>[];
  /**
   * Runs in the transaction that marks the saga COMPENSATED, once per saga (the
   * move is guarded): the place for an outbox event announcing the compensation.
   */
  onCompensated?(tx: EntityManager, saga: { sagaId: string; record: SagaRecordData<Input>; reason: string }): Promise<void> | void;
}

/** One run's state in this process. */
interface SagaRun<Input> {
  sagaId: string;
  key: string;
  input: Input;
  completed: Record<string, unknown>;
  startIndex: number;
  /** steps_completed as this run last committed it (the guard of the next progress write). */
  persistedSteps: number;
  scratch: Map<string, unknown>;
}

export interface SagaRunOptions {
  now: () => Date;
  faults?: SagaFaults;
  /** Deadline for one step (fault hook included); a step past it is a technical failure. */
  stepTimeoutMs: number;
}

export type SagaRunResult =
  | { kind: 'completed'; sagaId: string; completed: Record<string, unknown> }
  /** The first step answered without starting the saga (an idempotent replay, say). */
  | { kind: 'answered'; value: unknown };

/**
 * Thrown by the first step to answer without starting a saga: nothing was
 * recorded, so there is nothing to compensate.
 */
export class AnswerWithoutSaga extends Error {
  override name = 'AnswerWithoutSaga';
  constructor(readonly value: unknown) {
    super('answered without starting the saga');
  }
}

/**
 * Plain async code over an ordered step list (DESIGN "Sagas"). Each local step
 * commits its work and the saga's progress in one transaction; a failure after
 * any step runs the recorded compensations in reverse, reading them back from
 * saga_executions so that a late-committing step is undone too.
 */
export class SagaRunner<Input, Deps> {
  constructor(
    private readonly definition: SagaDefinition<Input, Deps>,
    private readonly deps: Deps,
    private readonly options: SagaRunOptions,
  ) {}

  start(em: EntityManager, sagaId: string, key: string, input: Input): Promise<Outcome<SagaRunResult>> {
    return this.runFrom(em, { sagaId, key, input, completed: {}, startIndex: 0, persistedSteps: 0, scratch: new Map() });
  }

  /** Continues a saga left RUNNING by a dead process, from its first unfinished step. */
  resume(em: EntityManager, row: SagaExecution): Promise<Outcome<SagaRunResult>> {
    const data = row.data as unknown as SagaRecordData<Input>;
    return this.runFrom(em, {
      sagaId: row.id, key: row.key, input: data.input, completed: { ...data.steps }, startIndex: row.stepsCompleted, persistedSteps: row.stepsCompleted, scratch: new Map(),
    });
  }

  private async runFrom(em: EntityManager, run: SagaRun<Input>): Promise<Outcome<SagaRunResult>> {
    const { steps } = this.definition;
    for (let index = run.startIndex; index < steps.length; index++) {
      const step = steps[index];
      try {
        const compensation = await this.withDeadline(step.id, async () => {
          await this.options.faults?.beforeStep?.(step.id);
          const invocation = step.invoke(this.stepContext(em, run, index), this.deps);
          this.options.faults?.onInvoke?.(step.id, invocation);
          return invocation;
        });
        run.completed[step.id] = compensation;
      } catch (error) {
        if (error instanceof SimulatedCrash || error instanceof SagaLeftForRecovery) throw error;
        if (error instanceof StepTimeoutError && step.outcomeUnknownOnTimeout) throw new SagaLeftForRecovery(error.message);
        if (error instanceof AnswerWithoutSaga && index === 0) return success({ kind: 'answered', value: error.value });
        if (index > 0) await this.compensate(em, run.sagaId, describe(error));
        else if (!(error instanceof FailureSignal)) await this.fenceFirstStep(em, run, describe(error));
        if (error instanceof FailureSignal) return { ok: false, failure: error.failure };
        throw error;
      }
    }
    return success({ kind: 'completed', sagaId: run.sagaId, completed: run.completed });
  }

  private stepContext(em: EntityManager, run: SagaRun<Input>, index: number): StepContext<Input> {
    const local = async <C>(work: (tx: EntityManager) => Promise<C>): Promise<C> => {
      const compensation = await retryTransient(() =>
        em.fork().transactional(async (tx) => {
          const done = await work(tx as EntityManager);
          await this.recordProgress(tx as EntityManager, run, index, done);
          return done;
        }),
      );
      run.persistedSteps = index + 1;
      return compensation;
    };
    const lastStep = index === this.definition.steps.length - 1;
    return {
      sagaId: run.sagaId,
      input: run.input,
      completed: run.completed,
      em,
      scratch: run.scratch,
      local,
      // The first step creates the row and the last has no successor: both record themselves.
      recordWithNextStep: (compensation) => (index === 0 || lastStep ? local(async () => compensation) : Promise.resolve(compensation)),
    };
  }

  /** Writes "step `index` done" on the saga row, guarded so a superseded run cannot land. */
  private async recordProgress(tx: EntityManager, run: SagaRun<Input>, index: number, compensation: unknown): Promise<void> {
    const { steps, kind } = this.definition;
    const now = this.options.now();
    const data: SagaRecordData<Input> = { input: run.input, steps: { ...run.completed, [steps[index].id]: compensation ?? null } };
    const serialized = data as unknown as Record<string, unknown>;
    if (index === 0) {
      tx.persist(tx.create(SagaExecution, { id: run.sagaId, kind, key: run.key, stepsCompleted: 1, data: serialized, createdAt: now, updatedAt: now }));
      return;
    }
    // Guarded on what this run last wrote: a step recorded with its successor left no row of its own.
    const guard = { id: run.sagaId, stepsCompleted: run.persistedSteps };
    const fields = { stepsCompleted: index + 1, data: serialized, updatedAt: now };
    const moved = index === steps.length - 1
      ? await transition(tx, SagaExecution, guard, SagaStatus.RUNNING, SagaStatus.COMPLETED, fields)
      : await tx.nativeUpdate(SagaExecution, { ...guard, status: SagaStatus.RUNNING }, fields);
    if (moved === 0) throw new SagaSupersededError(`saga ${run.sagaId} was taken over before step ${steps[index].id} committed`);
  }

  /**
   * The first step ended without an answer (its deadline passed, or a fault
   * left its commit in doubt), so its transaction may still commit later — and
   * that transaction is the one that creates the saga row, under the id chosen
   * up front. Writing the row here first makes such a late commit fail on the
   * primary key and roll back whole; if the step committed first, its row is
   * found and compensated now. Either way the saga ends COMPENSATED at once,
   * instead of a claimed cart waiting out recovery's grace period. If the
   * database cannot be reached the original fault is what the caller sees, and
   * a row that did commit is left to recovery.
   */
  private async fenceFirstStep(em: EntityManager, run: SagaRun<Input>, reason: string): Promise<void> {
    const now = this.options.now();
    const data: SagaRecordData<Input> = { input: run.input, steps: {} };
    try {
      const fork = em.fork();
      fork.persist(fork.create(SagaExecution, {
        id: run.sagaId, kind: this.definition.kind, key: run.key, stepsCompleted: 0, data: data as unknown as Record<string, unknown>, createdAt: now, updatedAt: now,
      }));
      await fork.flush();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) {
        logger.error('saga.fence_failed', { kind: this.definition.kind, sagaId: run.sagaId, error });
        return;
      }
    }
    await this.compensate(em, run.sagaId, reason);
  }

  /**
   * Runs every recorded compensation in reverse order, then marks the saga
   * COMPENSATED. Safe to call again (recovery does) because each compensation is.
   */
  async compensate(em: EntityManager, sagaId: string, reason: string): Promise<void> {
    const now = this.options.now();
    await transition(em.fork(), SagaExecution, sagaId, [SagaStatus.RUNNING, SagaStatus.FAILED], SagaStatus.COMPENSATING, {
      lastError: reason.slice(0, 2000),
      updatedAt: now,
    });
    const row = await em.fork().findOne(SagaExecution, sagaId);
    if (!row || row.status !== SagaStatus.COMPENSATING) return;
    const record = row.data as unknown as SagaRecordData<Input>;
    const recorded = record.steps ?? {};
    for (const step of [...this.definition.steps].reverse()) {
      if (!(step.id in recorded)) continue;
      await this.options.faults?.beforeCompensate?.(step.id);
      await retryTransient(() => step.compensate(em.fork(), recorded[step.id], this.deps));
    }
    const why = row.lastError ?? reason;
    await em.fork().transactional(async (tx) => {
      const moved = await transition(tx as EntityManager, SagaExecution, sagaId, SagaStatus.COMPENSATING, SagaStatus.COMPENSATED, { updatedAt: this.options.now() });
      if (moved === 1) await this.definition.onCompensated?.(tx as EntityManager, { sagaId, record, reason: why });
    });
    logger.info('saga.compensated', { kind: this.definition.kind, sagaId, reason });
  }

  private async withDeadline<T>(stepId: string, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StepTimeoutError(`step ${stepId} did not finish within ${this.options.stepTimeoutMs} ms`)), this.options.stepTimeoutMs);
    });
    try {
      return await Promise.race([work(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof FailureSignal) return `${error.failure.code}: ${error.failure.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
