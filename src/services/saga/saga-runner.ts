import type { Database } from '../../db/database';
import type { UnitOfWork } from '../../db/unit-of-work';
import type { EntityManager } from '../../db/orm';
import { SagaExecution, SagaStatus } from '../../entities';
import { FailureSignal, success, type Outcome } from '../shared/outcome';
import { logger } from '../shared/logger';
import { sagaCompensations } from '../../observability/metrics';
import { annotateLogContext } from '../../observability/log-context';
import { transition } from '../state/transition';
import { retryTransient } from '../shared/db-retry';
import {
  SagaLeftForRecovery,
  SagaSupersededError,
  SimulatedCrash,
  StepTimeoutError,
  type SagaFaults,
  type SagaRecordData,
  type SagaShape,
  type SagaStep,
  type StepRun,
} from './saga-types';

// The step list is heterogeneous (each step has its own id and data types); the runner only moves the data around.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStep<Input, Deps, S extends SagaShape> = SagaStep<Input, Deps, S, any>;

/** What the runner tells the saga after a local group rolled back (nothing of it exists any more). */
export interface RolledBackGroup<Input> {
  sagaId: string;
  input: Input;
  /** Steps of the group that had finished before the failure, in order. */
  reached: readonly string[];
  /** Whether an earlier group had committed (then the saga row exists and is compensated as well). */
  committedBefore: boolean;
  error: unknown;
  now: Date;
}

export interface SagaDefinition<Input, Deps, S extends SagaShape> {
  readonly kind: string;
  /** The steps a run with this input takes, in order: chosen from the input once, the same on a resume or a compensation. */
  stepsFor(input: Input): readonly AnyStep<Input, Deps, S>[];
  /**
   * Runs in the transaction that marks the saga COMPENSATED, once per saga (the
   * move is guarded): the place for an outbox event announcing the compensation.
   */
  onCompensated?(tx: EntityManager, saga: { sagaId: string; record: SagaRecordData<Input>; reason: string }): Promise<void> | void;
  /**
   * After a local group rolled back, in a short transaction of its own: what
   * must outlive the rollback (an event announcing the refused attempt, say).
   */
  afterRollback?(tx: EntityManager, group: RolledBackGroup<Input>): Promise<void>;
}

/** One run's state in this process. */
interface SagaRun<Input> {
  sagaId: string;
  key: string;
  input: Input;
  outputs: Record<string, unknown>;
  /** Compensation data of every step done: committed ones, and the open group's until it rolls back. */
  records: Record<string, unknown>;
  startIndex: number;
  /** steps_completed as this run last committed it: 0 = no saga row yet. */
  persistedSteps: number;
}

export interface SagaRunOptions {
  /** Where each local group's unit of work comes from. */
  db: Database;
  now: () => Date;
  faults?: SagaFaults;
  /** Deadline for one step (fault hook included); a step past it is a technical failure. */
  stepTimeoutMs: number;
}

export type SagaRunResult<S extends SagaShape> =
  | { kind: 'completed'; sagaId: string; outputs: Partial<S['outputs']> }
  /** The first step answered without starting the saga (an idempotent replay, say). */
  | { kind: 'answered'; value: unknown };

/**
 * Thrown by the first step to answer without starting a saga: its transaction
 * rolls back and nothing is recorded, so there is nothing to compensate.
 */
export class AnswerWithoutSaga extends Error {
  override name = 'AnswerWithoutSaga';
  constructor(readonly value: unknown) {
    super('answered without starting the saga');
  }
}

/**
 * Plain async code over an ordered step list (docs/design.md \"Sagas\", the pivot rule).
 * Consecutive local steps run in ONE transaction that ends with ONE write of
 * the saga row; its rollback is their compensation. An outside step runs with
 * no transaction open, and its record is written by the next group. A failure
 * after a committed group runs the recorded compensations in reverse.
 */
export class SagaRunner<Input, Deps, S extends SagaShape> {
  constructor(
    private readonly definition: SagaDefinition<Input, Deps, S>,
    private readonly deps: Deps,
    private readonly options: SagaRunOptions,
  ) {}

  start(em: EntityManager, sagaId: string, key: string, input: Input): Promise<Outcome<SagaRunResult<S>>> {
    return this.runFrom(em, { sagaId, key, input, outputs: {}, records: {}, startIndex: 0, persistedSteps: 0 });
  }

  /** Continues a saga left RUNNING by a dead process, from its first unfinished step. */
  resume(em: EntityManager, row: SagaExecution): Promise<Outcome<SagaRunResult<S>>> {
    const data = row.data as unknown as SagaRecordData<Input>;
    return this.runFrom(em, {
      sagaId: row.id,
      key: row.key,
      input: data.input,
      outputs: {},
      records: { ...data.steps },
      startIndex: row.stepsCompleted,
      persistedSteps: row.stepsCompleted,
    });
  }

  private async runFrom(em: EntityManager, run: SagaRun<Input>): Promise<Outcome<SagaRunResult<S>>> {
    const steps = this.definition.stepsFor(run.input);
    annotateLogContext({ sagaId: run.sagaId });
    let index = run.startIndex;
    while (index < steps.length) {
      try {
        if (steps[index].isLocal(run.input, this.view(run))) {
          index = await this.runLocalGroup(em, run, index);
        } else {
          await this.runOutsideStep(em, run, index);
          index += 1;
        }
      } catch (error) {
        return this.fail(em, run, index, error);
      }
    }
    return success({ kind: 'completed', sagaId: run.sagaId, outputs: run.outputs as Partial<S['outputs']> });
  }

  /**
   * Steps from `from` on, while each is local, and the saga row in one
   * transaction, retried whole on a deadlock. Whether the next step is local
   * is asked once the steps before it ran, so a step that needs no outside
   * call given what they produced joins the group. Answers where it ended.
   */
  private async runLocalGroup(em: EntityManager, run: SagaRun<Input>, from: number): Promise<number> {
    const steps = this.definition.stepsFor(run.input);
    const committed = { outputs: { ...run.outputs }, records: { ...run.records } };
    const reached: string[] = [];
    let to = from;
    try {
      await retryTransient(() => {
        run.outputs = { ...committed.outputs };
        run.records = { ...committed.records };
        reached.length = 0;
        // Rows the steps write and never read back go out with the saga row's write.
        return this.options.db.transaction(em, async (uow) => {
          to = from;
          do {
            await this.invokeStep(uow, run, to);
            reached.push(steps[to].id);
            to += 1;
          } while (to < steps.length && steps[to].isLocal(run.input, this.view(run)));
          await this.writeProgress(uow, run, to);
        });
      });
    } catch (error) {
      run.outputs = committed.outputs;
      run.records = committed.records;
      throw Object.assign(new GroupRolledBack(error), { reached });
    }
    run.persistedSteps = to;
    return to;
  }

  /** An outside step: no transaction is open while it works; its record rides on the next group's write. */
  private async runOutsideStep(em: EntityManager, run: SagaRun<Input>, index: number): Promise<void> {
    const step = this.definition.stepsFor(run.input)[index];
    try {
      await this.invokeStep(this.options.db.unitOfWork(em.fork()), run, index);
    } catch (error) {
      if (error instanceof StepTimeoutError && step.outcomeUnknownOnTimeout) throw new SagaLeftForRecovery(error.message);
      throw error;
    }
  }

  private async invokeStep(uow: UnitOfWork, run: SagaRun<Input>, index: number): Promise<void> {
    const step = this.definition.stepsFor(run.input)[index];
    const { faults } = this.options;
    let expired = false;
    const result = await this.withDeadline(
      step.id,
      async () => {
        await faults?.beforeStep?.(step.id);
        // A step released after its deadline must not touch a transaction that has already rolled back.
        if (expired) throw new SagaSupersededError(`step ${step.id} started after its deadline`);
        const invocation = step.invoke(
          uow,
          this.view(run, () => expired),
          this.deps,
        );
        faults?.onInvoke?.(step.id, invocation);
        return invocation;
      },
      () => {
        expired = true;
      },
    );
    run.outputs[step.id] = result.output;
    run.records[step.id] = result.compensation ?? null;
  }

  private view(run: SagaRun<Input>, deadlinePassed: () => boolean = () => false): StepRun<Input, S> {
    const read = (from: Record<string, unknown>, kind: string) => (id: string) => {
      if (!(id in from)) throw new Error(`saga ${run.sagaId}: no ${kind} for step ${id}`);
      return from[id];
    };
    return {
      sagaId: run.sagaId,
      input: run.input,
      output: read(run.outputs, 'output') as StepRun<Input, S>['output'],
      recorded: read(run.records, 'record') as StepRun<Input, S>['recorded'],
      deadlinePassed,
    };
  }

  /**
   * The group's one write of the saga row: created by the first group (already
   * COMPLETED when it is the whole saga), moved on by later ones — guarded on
   * what this run last wrote, so a run that was taken over cannot land.
   */
  private async writeProgress(uow: UnitOfWork, run: SagaRun<Input>, reached: number): Promise<void> {
    const { kind } = this.definition;
    const steps = this.definition.stepsFor(run.input);
    const tx = uow.em;
    const now = this.options.now();
    const done = reached === steps.length;
    const data = { input: run.input, steps: run.records } as unknown as Record<string, unknown>;
    if (run.persistedSteps === 0) {
      const status = done ? SagaStatus.COMPLETED : SagaStatus.RUNNING;
      await uow.insert(SagaExecution, { id: run.sagaId, kind, key: run.key, status, stepsCompleted: reached, data, createdAt: now, updatedAt: now });
      return;
    }
    await uow.flush();
    const guard = { id: run.sagaId, stepsCompleted: run.persistedSteps };
    const fields = { stepsCompleted: reached, data, updatedAt: now };
    const moved = done
      ? await transition(tx, SagaExecution, guard, SagaStatus.RUNNING, SagaStatus.COMPLETED, fields)
      : await tx.nativeUpdate(SagaExecution, { ...guard, status: SagaStatus.RUNNING }, fields);
    if (moved === 0) throw new SagaSupersededError(`saga ${run.sagaId} was taken over before step ${steps[reached - 1].id} committed`);
  }

  /**
   * A step failed. A crash, or an outcome only recovery can learn, propagates
   * untouched. Otherwise: what rolled back needs nothing; committed groups are
   * compensated; a business failure comes back as a value, a fault is rethrown.
   */
  private async fail(em: EntityManager, run: SagaRun<Input>, index: number, thrown: unknown): Promise<Outcome<SagaRunResult<S>>> {
    const rolledBack = thrown instanceof GroupRolledBack ? thrown : null;
    const error = rolledBack ? rolledBack.cause : thrown;
    if (error instanceof SimulatedCrash || error instanceof SagaLeftForRecovery) throw error;
    if (error instanceof AnswerWithoutSaga && index === 0) return success({ kind: 'answered', value: error.value });
    const reason = describe(error);
    const failedStep = this.definition.stepsFor(run.input)[index + (rolledBack?.reached.length ?? 0)]?.id ?? 'unknown';
    if (rolledBack && rolledBack.reached.length > 0 && this.definition.afterRollback) {
      await this.announceRollback(em, {
        sagaId: run.sagaId,
        input: run.input,
        reached: rolledBack.reached,
        committedBefore: run.persistedSteps > 0,
        error,
        now: this.options.now(),
      });
    }
    if (run.persistedSteps > 0) await this.compensate(em, run.sagaId, reason, run.records, { failedStep, reasonClass: reasonClassOf(error) });
    if (error instanceof FailureSignal) return { ok: false, failure: error.failure };
    throw error;
  }

  private async announceRollback(em: EntityManager, group: RolledBackGroup<Input>): Promise<void> {
    try {
      await em.fork().transactional((tx) => this.definition.afterRollback!(tx as EntityManager, group));
    } catch (error) {
      // The attempt itself left nothing behind; only its announcement is lost.
      logger.error('saga.after_rollback_failed', { kind: this.definition.kind, sagaId: group.sagaId, error });
    }
  }

  /**
   * Runs every recorded compensation in reverse order, then marks the saga
   * COMPENSATED. `pending` adds records this run holds that no group has
   * written yet (an outside step's, when the group after it failed). Safe to
   * call again (recovery does) because each compensation is.
   */
  async compensate(
    em: EntityManager,
    sagaId: string,
    reason: string,
    pending: Record<string, unknown> = {},
    cause: { failedStep?: string; reasonClass: CompensationReasonClass } = { reasonClass: 'recovery' },
  ): Promise<void> {
    const now = this.options.now();
    await transition(em.fork(), SagaExecution, sagaId, [SagaStatus.RUNNING, SagaStatus.FAILED], SagaStatus.COMPENSATING, {
      lastError: reason.slice(0, 2000),
      updatedAt: now,
    });
    const row = await em.fork().findOne(SagaExecution, sagaId);
    if (!row || row.status !== SagaStatus.COMPENSATING) return;
    const record = row.data as unknown as SagaRecordData<Input>;
    const recorded = { ...pending, ...(record.steps ?? {}) };
    const steps = this.definition.stepsFor(record.input);
    for (const step of [...steps].reverse()) {
      if (!(step.id in recorded)) continue;
      await this.options.faults?.beforeCompensate?.(step.id);
      await retryTransient(() => step.compensate(em.fork(), recorded[step.id], this.deps));
    }
    const why = row.lastError ?? reason;
    let compensatedHere = false;
    await em.fork().transactional(async (tx) => {
      const moved = await transition(tx as EntityManager, SagaExecution, sagaId, SagaStatus.COMPENSATING, SagaStatus.COMPENSATED, {
        updatedAt: this.options.now(),
      });
      if (moved === 1) await this.definition.onCompensated?.(tx as EntityManager, { sagaId, record, reason: why });
      compensatedHere = moved === 1;
    });
    // Counted once per saga, by whoever moved it to COMPENSATED; a recovery names the step the dead run had reached.
    if (compensatedHere) {
      const step = cause.failedStep ?? steps[row.stepsCompleted]?.id ?? 'unknown';
      sagaCompensations.inc({ kind: this.definition.kind, step, reason_class: cause.reasonClass });
    }
    logger.info('saga.compensated', { kind: this.definition.kind, sagaId, reason });
  }

  private async withDeadline<T>(stepId: string, work: () => Promise<T>, onExpired: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onExpired();
        reject(new StepTimeoutError(`step ${stepId} did not finish within ${this.options.stepTimeoutMs} ms`));
      }, this.options.stepTimeoutMs);
    });
    const running = work();
    // Past the deadline nobody awaits the step any more; its late failure is expected, not unhandled.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Carries a local group's failure out of its rolled-back transaction, with the steps it had finished. */
class GroupRolledBack extends Error {
  override name = 'GroupRolledBack';
  reached: readonly string[] = [];
  constructor(override readonly cause: unknown) {
    super('local saga group rolled back');
  }
}

/** Why a saga was compensated, in a few classes fit for a label: a business answer, a deadline, a fault, or recovery after a crash. */
export type CompensationReasonClass = 'business' | 'timeout' | 'fault' | 'recovery';

function reasonClassOf(error: unknown): CompensationReasonClass {
  if (error instanceof FailureSignal) return 'business';
  if (error instanceof StepTimeoutError) return 'timeout';
  return 'fault';
}

function describe(error: unknown): string {
  if (error instanceof FailureSignal) return `${error.failure.code}: ${error.failure.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
