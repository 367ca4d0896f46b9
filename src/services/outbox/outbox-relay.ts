import type { EntityManager } from '../../db/orm';
import type { ClaimedEvent } from '../../db/stores/outbox-store';
import { OutboxEvent, OutboxEventStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { logger } from '../shared/logger';
import { transition } from '../state/transition';
import { retryDelayMs, type BackoffPolicy } from '../shared/backoff';
import type { OutboxSink } from './sinks';

export type { ClaimedEvent } from '../../db/stores/outbox-store';

/** A failed delivery is retried after 1 s, 2 s, 4 s ... at most 10 minutes apart. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 10 * 60_000 };

export interface OutboxRelayOptions {
  /** Events claimed per round. */
  batchSize?: number;
  /**
   * How long a claimed event is hidden from other relays. If this relay dies
   * between publish and mark, the event becomes claimable again after the lease
   * and is redelivered with the same id.
   */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Failed attempts after which an event becomes DEAD and waits for an operator's replay (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

export interface FailedDelivery {
  event: ClaimedEvent;
  error: unknown;
}

export interface RelayRound {
  claimed: number;
  delivered: number;
  failed: number;
  /** Claimed but not attempted because the round ran out of lease; retried after it. */
  deferred: number;
}

const MAX_ERROR_LENGTH = 2_000;

export const DEFAULT_OUTBOX_MAX_ATTEMPTS = 10;

/**
 * Moves committed outbox rows to a sink, at least once. A round costs at most
 * three statements whatever the batch size: claim a batch in one statement
 * (SKIP LOCKED on PostgreSQL, so concurrent relays take disjoint batches;
 * libSQL has a single writer) that also takes a lease by pushing nextAttemptAt
 * forward; publish each event outside any transaction; then mark every
 * delivered event in one statement and schedule every failed one's retry
 * (error and backoff) in another. An event whose attempts reach `maxAttempts`
 * becomes DEAD instead (one more statement, only then), is logged once at
 * error level, and is not claimed again until an operator replays it.
 */
export class OutboxRelay {
  readonly batchSize: number;
  readonly leaseMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  readonly maxAttempts: number;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'stores'>,
    private readonly sink: OutboxSink,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.backoff = options.backoff ?? OUTBOX_BACKOFF;
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_OUTBOX_MAX_ATTEMPTS;
  }

  async runOnce(em: EntityManager, now: Date): Promise<RelayRound> {
    const batch = await this.claim(em, now);
    const delivered: ClaimedEvent[] = [];
    const failed: FailedDelivery[] = [];
    let deferred = 0;
    // Elapsed wall time, not business time: once half the lease is gone, another
    // relay may soon take these rows, so the rest wait for the lease to end.
    const startedAt = performance.now();
    for (const event of batch) {
      if (performance.now() - startedAt > this.leaseMs / 2) {
        deferred += 1;
        continue;
      }
      try {
        await this.sink.publish(event);
        delivered.push(event);
      } catch (error) {
        failed.push({ event, error });
      }
    }
    // A throw here (database gone, process dying) leaves the leases in place:
    // those events are published again after them, with the same ids.
    if (delivered.length > 0) await this.markDelivered(em, delivered, now);
    if (failed.length > 0) await this.recordFailures(em, failed, now);
    return { claimed: batch.length, delivered: delivered.length, failed: failed.length, deferred };
  }

  protected claim(em: EntityManager, now: Date): Promise<ClaimedEvent[]> {
    return this.deps.stores.outbox.claimDue(this.deps.db.unitOfWork(em), now, new Date(now.getTime() + this.leaseMs), this.batchSize);
  }

  protected async markDelivered(em: EntityManager, events: readonly ClaimedEvent[], now: Date): Promise<void> {
    await transition(
      em,
      OutboxEvent,
      events.map((e) => e.id),
      OutboxEventStatus.PENDING,
      OutboxEventStatus.DELIVERED,
      { deliveredAt: now, lastError: null },
    );
  }

  /** Each failed event keeps its lease until its own backoff ends; one statement for the whole batch. */
  protected async recordFailures(em: EntityManager, failures: readonly FailedDelivery[], now: Date): Promise<void> {
    const retries = failures.map(({ event, error }) => ({
      id: event.id,
      error: describe(error),
      retryAt: new Date(now.getTime() + retryDelayMs(event.attempts, this.backoff, this.random)),
    }));
    await this.deps.stores.outbox.scheduleRetries(this.deps.db.unitOfWork(em), retries);
    const exhausted = failures.filter(({ event }) => event.attempts >= this.maxAttempts);
    for (const { event, error } of exhausted) await this.bury(em, event, describe(error));
  }

  /**
   * PENDING -> DEAD, guarded: whichever relay moves it logs it, so the line is
   * written once; and only while its attempts are still spent (an operator's
   * replay during this round reset them, and then it stays PENDING).
   */
  private async bury(em: EntityManager, event: ClaimedEvent, lastError: string): Promise<void> {
    const spent = { id: event.id, attempts: { $gte: this.maxAttempts } };
    const moved = await transition(em, OutboxEvent, spent, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD);
    if (moved === 1) {
      logger.error('outbox.dead_letter', { eventId: event.id, type: event.type, aggregateId: event.aggregateId, attempts: event.attempts, lastError });
    }
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR_LENGTH);
}
