import type { UnitOfWork } from '../../db/unit-of-work';
import type { EntityManager } from '../../db/orm';

/** What every step answers: the output later steps of this run read, and the data its compensation needs. */
export interface StepResult<Output, Compensation> {
  output: Output;
  compensation: Compensation;
}

/**
 * A saga's two typed maps, by step id: `outputs` are what a step hands to the
 * steps after it in the same run (in memory only); `records` are the
 * compensation data written on the saga row, which a compensation — or a
 * resumed run after a crash — reads back.
 */
export interface SagaShape {
  outputs: object;
  records: object;
}

type StepId<S extends SagaShape> = keyof S['outputs'] & keyof S['records'] & string;

/** What a step sees of its run. */
export interface StepRun<Input, S extends SagaShape> {
  readonly sagaId: string;
  readonly input: Input;
  /** The output of an earlier step of this run in this process; throws if that step did not run here. */
  output<K extends StepId<S>>(id: K): S['outputs'][K];
  /** The recorded data of an earlier step, from this run or read back from the saga row on a resume. */
  recorded<K extends StepId<S>>(id: K): S['records'][K];
  /**
   * True once this step's deadline has passed: nobody awaits it any more, so a
   * step that makes more than one outside call must not begin the next one.
   */
  deadlinePassed(): boolean;
}

/**
 * One saga step (docs/design.md \"Sagas\", house rule 1). A step is local when it makes
 * no outside call for this input: consecutive local steps run in ONE
 * transaction with ONE write of the saga row (the pivot rule), and a rollback
 * of that transaction is their compensation. A business failure is thrown with
 * `abortWith`. `compensate` undoes what a committed step did; it must be a
 * no-op when there is nothing to undo and safe to run twice.
 */
export interface SagaStep<Input, Deps, S extends SagaShape, K extends StepId<S> = StepId<S>> {
  readonly id: K;
  /**
   * True when this step makes no outside call for this input (its work is its
   * transaction's). Asked when the run reaches it, with what the steps before
   * it produced: a step may find it has nothing to ask outside after all.
   */
  isLocal(input: Input, run: StepRun<Input, S>): boolean;
  /**
   * `uow` is the group's unit of work for a local step (its transaction, and
   * the rows deferred to the saga row's insert); for an outside step it wraps a
   * fresh fork for reads, and no transaction is open while it works.
   */
  invoke(uow: UnitOfWork, run: StepRun<Input, S>, deps: Deps): Promise<StepResult<S['outputs'][K], S['records'][K]>>;
  compensate(em: EntityManager, compensation: S['records'][K], deps: Deps): Promise<void>;
  /**
   * For an outside step (the PSP): when its deadline passes the call may still
   * land, so the saga is left for recovery instead of being compensated blindly.
   */
  readonly outcomeUnknownOnTimeout?: boolean;
}

/** Test-only fault injection and observation. */
export interface SagaFaults {
  /** Before each step, inside its deadline (and inside its group's transaction when local): throw to fail it, await to pause it. */
  beforeStep?(stepId: string): Promise<void> | void;
  /** Sees each step's invocation, so a test can await one that outlived its deadline. */
  onInvoke?(stepId: string, invocation: Promise<unknown>): void;
  /** Before each step's compensation: throw a SimulatedCrash to die half-way through compensating. */
  beforeCompensate?(stepId: string): Promise<void> | void;
}

/** The JSON kept in saga_executions.data. */
export interface SagaRecordData<Input> {
  input: Input;
  /** Compensation data of every committed step, by step id. */
  steps: Record<string, unknown>;
}

/**
 * Simulates the process dying between two steps. The runner never compensates it:
 * the open transaction rolls back and the saga is left exactly as a killed process would leave it.
 */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

/** A step that did not finish within its deadline (technical fault: compensations run). */
export class StepTimeoutError extends Error {
  override name = 'StepTimeoutError';
}

/**
 * Another actor (a recovery worker, or a compensation) has taken over this
 * saga; the group's transaction is rolled back so it cannot land late.
 */
export class SagaSupersededError extends Error {
  override name = 'SagaSupersededError';
}

/**
 * A step could not tell whether its outside effect happened (a lost PSP
 * response). The runner does not compensate: the saga stays RUNNING and the
 * recovery worker asks the outside system, then completes or compensates.
 */
export class SagaLeftForRecovery extends Error {
  override name = 'SagaLeftForRecovery';
}
