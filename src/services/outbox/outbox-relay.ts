import { LockMode } from '@mikro-orm/core';
import { isPostgres, type EntityManager } from '../../db/orm';
import { OutboxEvent } from '../../entities';
import { OUTBOX_BACKOFF, retryDelayMs, type BackoffPolicy } from './retry-backoff';
import type { OutboxMessage, OutboxSink } from './sinks';

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
}

export interface ClaimedEvent extends OutboxMessage {
  /** Attempts including this one. */
  attempts: number;
}

export interface RelayRound {
  claimed: number;
  delivered: number;
  failed: number;
  /** Claimed but not attempted because the round ran out of lease; retried after it. */
  deferred: number;
}

const MAX_ERROR_LENGTH = 2_000;

/**
 * Moves committed outbox rows to a sink, at least once. A round is: claim a
 * batch in one short transaction (SKIP LOCKED on PostgreSQL, so concurrent
 * relays take disjoint batches; libSQL has a single writer) that also takes a
 * lease by pushing nextAttemptAt forward; publish each event outside any
 * transaction; mark it delivered, or record the error and back off.
 */
export class OutboxRelay {
  readonly batchSize: number;
  readonly leaseMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;

  constructor(private readonly sink: OutboxSink, options: OutboxRelayOptions = {}) {
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.backoff = options.backoff ?? OUTBOX_BACKOFF;
    this.random = options.random ?? Math.random;
  }

  async runOnce(em: EntityManager, now: Date): Promise<RelayRound> {
    const batch = await this.claim(em, now);
    const round: RelayRound = { claimed: batch.length, delivered: 0, failed: 0, deferred: 0 };
    // Elapsed wall time, not business time: once half the lease is gone, another
    // relay may soon take these rows, so the rest wait for the lease to end.
    const startedAt = performance.now();
    for (const event of batch) {
      if (performance.now() - startedAt > this.leaseMs / 2) {
        round.deferred += 1;
        continue;
      }
      try {
        await this.sink.publish(event);
      } catch (error) {
        await this.recordFailure(em, event, error, now);
        round.failed += 1;
        continue;
      }
      // A throw here (database gone, process dying) leaves the lease in place:
      // the event is published again after it, with the same id.
      await this.markDelivered(em, event, now);
      round.delivered += 1;
    }
    return round;
  }

  protected async claim(em: EntityManager, now: Date): Promise<ClaimedEvent[]> {
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    return em.fork().transactional(async (tx) => {
      const rows = await tx.find(
        OutboxEvent,
        { deliveredAt: null, nextAttemptAt: { $lte: now } },
        {
          orderBy: { createdAt: 'asc', id: 'asc' },
          limit: this.batchSize,
          ...(isPostgres(tx as EntityManager) ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
        },
      );
      for (const row of rows) {
        row.attempts += 1;
        row.nextAttemptAt = leaseUntil;
      }
      return rows.map((row) => ({
        id: row.id,
        type: row.type,
        aggregateId: row.aggregateId,
        payload: row.payload,
        createdAt: row.createdAt,
        attempts: row.attempts,
      }));
    });
  }

  protected async markDelivered(em: EntityManager, event: ClaimedEvent, now: Date): Promise<void> {
    await em.nativeUpdate(OutboxEvent, { id: event.id, deliveredAt: null }, { deliveredAt: now, lastError: null });
  }

  protected async recordFailure(em: EntityManager, event: ClaimedEvent, error: unknown, now: Date): Promise<void> {
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR_LENGTH);
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(event.attempts, this.backoff, this.random));
    await em.nativeUpdate(OutboxEvent, { id: event.id, deliveredAt: null }, { lastError: message, nextAttemptAt });
  }
}
