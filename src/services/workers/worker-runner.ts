import type { EntityManager } from '../../db/orm';
import type { DueCheck } from '../../db/stores/due-check';
import type { AppDeps } from '../app-deps';
import { logger } from '../shared/logger';

/** Whether a worker's round would find work at `now`: a check from its store, asked with the others (WorkStore.whichAreDue). */
export type DueProbe = (now: Date) => DueCheck;

/** A background job, run by the runner. */
export interface Worker {
  name: string;
  /**
   * How often the worker is polled. A worker with a `due` check is not polled
   * on its own: this is how long it rests after a round that found nothing.
   */
  intervalMs: number;
  /** One round on its own EntityManager fork; returns how many items it handled. */
  runOnce(em: EntityManager, now: Date): Promise<number>;
  /** Whether a round would find work: lets the runner ask all workers in one statement per tick. */
  due?: DueProbe;
}

type RunnerState = { kind: 'idle' } | { kind: 'running' } | { kind: 'stopping'; done: Promise<void> } | { kind: 'stopped' };

interface Slot {
  worker: Worker;
  /** The tick in flight, if any: a worker never overlaps itself. */
  inFlight: Promise<number> | null;
  /** Own polling timer (workers without a due check). */
  timer: NodeJS.Timeout | null;
  /** performance.now() before which a checked worker is not asked again (it found nothing last time). */
  restsUntil: number;
}

/**
 * Runs the registered workers. Each round gets a fresh EntityManager fork and
 * the clock's now; a round that throws is logged and counts as nothing handled
 * (a bad row must not take the process down). Cross-process safety is the
 * workers' job (row claims in the database), not the runner's.
 *
 * Workers with a `due` check share one loop, so an idle process costs one
 * statement per tick (the shortest of their intervals) instead of a few per
 * worker: the tick asks every check that is not resting in a single query and
 * starts only the workers that have work. When that wave of rounds ends and any
 * of them handled something, the next tick follows at once, so a backlog drains
 * without waiting an interval. A worker whose round found nothing rests for its
 * own interval, so work that keeps failing is retried at the worker's pace,
 * not the tick's. Workers without a check keep their own polling loop, re-run
 * at once after a round that handled something.
 */
export class WorkerRunner {
  private readonly slots = new Map<string, Slot>();
  private state: RunnerState = { kind: 'idle' };
  private tickTimer: NodeJS.Timeout | null = null;
  private tickAt = Infinity;
  private ticking: Promise<unknown> | null = null;
  /** A tick came due while another was asking: run it right after. */
  private tickAgain = false;

  constructor(private readonly deps: AppDeps) {}

  register(worker: Worker): void {
    if (this.slots.has(worker.name)) throw new Error(`worker ${worker.name} is already registered`);
    if (!(worker.intervalMs > 0)) throw new Error(`worker ${worker.name} needs a positive intervalMs`);
    const slot: Slot = { worker, inFlight: null, timer: null, restsUntil: 0 };
    this.slots.set(worker.name, slot);
    if (this.state.kind !== 'running') return;
    if (worker.due) this.scheduleTick(0);
    else this.schedule(slot, 0);
  }

  get workerNames(): string[] {
    return [...this.slots.keys()];
  }

  start(): void {
    if (this.state.kind !== 'idle') throw new Error(`worker runner cannot start: it is ${this.state.kind}`);
    this.state = { kind: 'running' };
    for (const slot of this.slots.values()) if (!slot.worker.due) this.schedule(slot, 0);
    this.scheduleTick(0);
    logger.info('workers.started', { workers: this.workerNames });
  }

  /** Stops scheduling and waits for ticks in flight. Safe to call more than once. */
  stop(): Promise<void> {
    if (this.state.kind === 'stopping') return this.state.done;
    if (this.state.kind === 'stopped') return Promise.resolve();
    const done = (async () => {
      if (this.tickTimer) clearTimeout(this.tickTimer);
      this.tickTimer = null;
      for (const slot of this.slots.values()) {
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
      }
      await this.ticking;
      await Promise.all([...this.slots.values()].map((slot) => slot.inFlight));
      this.state = { kind: 'stopped' };
      logger.info('workers.stopped', { workers: this.workerNames });
    })();
    this.state = { kind: 'stopping', done };
    return done;
  }

  /**
   * One round of every worker, one after another, due or not (tests, and
   * `worker --once` style tooling). Waits for a round already in flight instead
   * of overlapping it.
   */
  async runAllOnce(): Promise<Record<string, number>> {
    const handled: Record<string, number> = {};
    for (const slot of this.slots.values()) {
      if (slot.inFlight) await slot.inFlight;
      handled[slot.worker.name] = await this.tick(slot);
    }
    return handled;
  }

  /** One tick of the checked workers, its rounds awaited: what ran and what each handled. */
  async runDueOnce(): Promise<Record<string, number>> {
    const wave = await this.askAndStart();
    const handled: Record<string, number> = {};
    for (const [name, round] of wave) handled[name] = await round;
    return handled;
  }

  /** The tick of the checked workers: their shortest interval. */
  private get tickIntervalMs(): number {
    let shortest = Infinity;
    for (const slot of this.slots.values()) if (slot.worker.due) shortest = Math.min(shortest, slot.worker.intervalMs);
    return shortest;
  }

  /** Keeps the earliest of the requested tick times. */
  private scheduleTick(delayMs: number): void {
    if (this.state.kind !== 'running' || !Number.isFinite(delayMs)) return;
    const at = performance.now() + delayMs;
    if (this.tickTimer && this.tickAt <= at) return;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickAt = at;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = null;
      this.tickAt = Infinity;
      void this.scheduledTick();
    }, delayMs);
  }

  private async scheduledTick(): Promise<void> {
    if (this.state.kind !== 'running') return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    const asking = this.askAndStart();
    this.ticking = asking;
    const wave = await asking.finally(() => (this.ticking = null));
    if (this.tickAgain) {
      this.tickAgain = false;
      this.scheduleTick(0);
    }
    if (wave.size > 0) {
      // When the whole wave is over, anything handled means more may be waiting: ask again at once.
      void Promise.all(wave.values()).then((counts) => {
        if (counts.some((count) => count > 0)) this.scheduleTick(0);
      });
    }
    this.scheduleTick(this.tickIntervalMs);
  }

  /**
   * Asks the due checks of every checked worker that is neither running nor
   * resting, in one statement, and starts the rounds of those with work.
   * Resolves once they are started, with each round's promise.
   */
  private async askAndStart(): Promise<Map<string, Promise<number>>> {
    const wave = new Map<string, Promise<number>>();
    const clock = performance.now();
    const candidates = [...this.slots.values()].filter((slot) => slot.worker.due && !slot.inFlight && slot.restsUntil <= clock);
    if (candidates.length === 0) return wave;
    const now = this.deps.clock.now();
    let due: boolean[];
    try {
      const checks = candidates.map((slot) => slot.worker.due!(now));
      due = await this.deps.stores.work.whichAreDue(this.deps.db.unitOfWork(this.deps.orm.em.fork()), checks);
    } catch (error) {
      logger.error('workers.due_check_failed', { workers: candidates.map((slot) => slot.worker.name), error });
      return wave;
    }
    candidates.forEach((slot, i) => {
      if (!due[i] || slot.inFlight) return;
      wave.set(
        slot.worker.name,
        this.tick(slot).then((handled) => {
          slot.restsUntil = handled > 0 ? 0 : performance.now() + slot.worker.intervalMs;
          return handled;
        }),
      );
    });
    return wave;
  }

  private schedule(slot: Slot, delayMs: number): void {
    if (this.state.kind !== 'running') return;
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (slot.inFlight) return this.schedule(slot, slot.worker.intervalMs);
      void this.tick(slot).then((handled) => this.schedule(slot, handled > 0 ? 0 : slot.worker.intervalMs));
    }, delayMs);
  }

  /** Never rejects: a failed round counts as zero items. */
  private tick(slot: Slot): Promise<number> {
    const run: Promise<number> = this.runRound(slot.worker).finally(() => {
      if (slot.inFlight === run) slot.inFlight = null;
    });
    slot.inFlight = run;
    return run;
  }

  private async runRound(worker: Worker): Promise<number> {
    try {
      return await worker.runOnce(this.deps.orm.em.fork(), this.deps.clock.now());
    } catch (error) {
      logger.error('workers.tick_failed', { worker: worker.name, error });
      return 0;
    }
  }
}
