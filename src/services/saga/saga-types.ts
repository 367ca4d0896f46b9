import type { EntityManager } from '../../db/orm';

/** What a step sees while it runs. */
export interface StepContext<Input> {
  readonly sagaId: string;
  readonly input: Input;
  /** Data recorded by every step completed so far (its compensation data), by step id. */
  readonly completed: Readonly<Record<string, unknown>>;
  /** The caller's EntityManager, for reads outside a step transaction; never for writes. */
  readonly em: EntityManager;
  /**
   * Runs `work` in ONE short transaction on a fresh fork that also records this
   * step as completed (with the returned value as its compensation data) on the
   * saga_executions row. Call it at most once per step.
   */
  local<C>(work: (tx: EntityManager) => Promise<C>): Promise<C>;
  /**
   * For a step that makes no local change and is safe to redo (no outside
   * effect): its completion is written by the next step's transaction instead
   * of a transaction of its own. If the process dies in between, a resume
   * simply runs it again.
   */
  recordWithNextStep<C>(compensation: C): Promise<C>;
  /**
   * In-memory only, for this run in this process: lets a later step reuse what
   * an earlier one loaded. Empty after a resume, so a step must be able to load
   * what it needs itself.
   */
  readonly scratch: Map<string, unknown>;
}

/**
 * One saga step (DESIGN "Sagas"; STYLE rule 3). `invoke` returns the minimal data
 * its compensation needs; a business failure is thrown with `abortWith` (the
 * runner turns it back into a value after compensating). `compensate` must be
 * a no-op when there is nothing to undo and safe to run twice.
 */
export interface SagaStep<Input, Deps> {
  readonly id: string;
  invoke(ctx: StepContext<Input>, deps: Deps): Promise<unknown>;
  compensate(em: EntityManager, compensation: unknown, deps: Deps): Promise<void>;
  /**
   * For a step that calls an outside system (the PSP): when its deadline passes
   * the call may still land, so the saga is left for recovery instead of being
   * compensated blindly.
   */
  readonly outcomeUnknownOnTimeout?: boolean;
}

/** Test-only fault injection and observation. */
export interface SagaFaults {
  /** Before each step, inside its deadline: throw to fail the step, await to pause it. */
  beforeStep?(stepId: string): Promise<void> | void;
  /** Sees each step's invocation, so a test can await one that outlived its deadline. */
  onInvoke?(stepId: string, invocation: Promise<unknown>): void;
  /** Before each step's compensation: throw a SimulatedCrash to die half-way through compensating. */
  beforeCompensate?(stepId: string): Promise<void> | void;
}

/** The JSON kept in saga_executions.data. */
export interface SagaRecordData<Input> {
  input: Input;
  steps: Record<string, unknown>;
}

/**
 * Simulates the process dying between two steps. The runner never compensates it:
 * it propagates and leaves the saga RUNNING, exactly as a killed process would.
 */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

/** A step that did not finish within its deadline (technical fault: compensations run). */
export class StepTimeoutError extends Error {
  override name = 'StepTimeoutError';
}

/**
 * Another actor (a recovery worker, or compensation after a timeout) has taken
 * over this saga; the step's transaction is rolled back so it cannot land late.
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
