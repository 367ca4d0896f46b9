import type { EntityManager } from '../../db/orm';
import type { AppDeps } from '../../schema/context';
import { logger } from '../shared/logger';

/** A background job, polled by the runner. */
export interface Worker {
  name: string;
  intervalMs: number;
  /** One round on its own EntityManager fork; returns how many items it handled. */
  runOnce(em: EntityManager, now: Date): Promise<number>;
}

type RunnerState = { kind: 'idle' } | { kind: 'running' } | { kind: 'stopping'; done: Promise<void> } | { kind: 'stopped' };

interface Slot {
  worker: Worker;
  /** The tick in flight, if any: a worker never overlaps itself. */
  inFlight: Promise<number> | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Runs every registered worker on its own polling loop. Each tick gets a fresh
 * EntityManager fork and the clock's now; a tick that throws is logged and the
 * loop goes on (a bad row must not take the process down). A tick that handled
 * something is followed at once by another, so a backlog drains without waiting
 * a full interval. Cross-process safety is the workers' job (row claims in the
 * database), not the runner's.
 */
export class WorkerRunner {
  private readonly slots = new Map<string, Slot>();
  private state: RunnerState = { kind: 'idle' };

  constructor(private readonly deps: AppDeps) {}

  register(worker: Worker): void {
    if (this.slots.has(worker.name)) throw new Error(`worker ${worker.name} is already registered`);
    if (!(worker.intervalMs > 0)) throw new Error(`worker ${worker.name} needs a positive intervalMs`);
    const slot: Slot = { worker, inFlight: null, timer: null };
    this.slots.set(worker.name, slot);
    if (this.state.kind === 'running') this.schedule(slot, 0);
  }

  get workerNames(): string[] {
    return [...this.slots.keys()];
  }

  start(): void {
    if (this.state.kind !== 'idle') throw new Error(`worker runner cannot start: it is ${this.state.kind}`);
    this.state = { kind: 'running' };
    for (const slot of this.slots.values()) this.schedule(slot, 0);
    logger.info('workers.started', { workers: this.workerNames });
  }

  /** Stops scheduling and waits for ticks in flight. Safe to call more than once. */
  stop(): Promise<void> {
    if (this.state.kind === 'stopping') return this.state.done;
    if (this.state.kind === 'stopped') return Promise.resolve();
    const done = (async () => {
      for (const slot of this.slots.values()) {
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
      }
      await Promise.all([...this.slots.values()].map((slot) => slot.inFlight));
      this.state = { kind: 'stopped' };
      logger.info('workers.stopped', { workers: this.workerNames });
    })();
    this.state = { kind: 'stopping', done };
    return done;
  }

  /**
   * One tick of every worker, one after another (tests, and `worker --once`
   * style tooling). Waits for a tick already in flight instead of overlapping it.
   */
  async runAllOnce(): Promise<Record<string, number>> {
    const handled: Record<string, number> = {};
    for (const slot of this.slots.values()) {
      if (slot.inFlight) await slot.inFlight;
      handled[slot.worker.name] = await this.tick(slot);
    }
    return handled;
  }

  private schedule(slot: Slot, delayMs: number): void {
    if (this.state.kind !== 'running') return;
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (slot.inFlight) return this.schedule(slot, slot.worker.intervalMs);
      void this.tick(slot).then((handled) => this.schedule(slot, handled > 0 ? 0 : slot.worker.intervalMs));
    }, delayMs);
  }

  /** Never rejects: a failed tick counts as zero items. */
  private tick(slot: Slot): Promise<number> {
    const run: Promise<number> = this.execute(slot.worker).finally(() => {
      if (slot.inFlight === run) slot.inFlight = null;
    });
    slot.inFlight = run;
    return run;
  }

  private async execute(worker: Worker): Promise<number> {
    try {
      return await worker.runOnce(this.deps.orm.em.fork(), this.deps.clock.now());
    } catch (error) {
      logger.error('workers.tick_failed', { worker: worker.name, error });
      return 0;
    }
  }
}
