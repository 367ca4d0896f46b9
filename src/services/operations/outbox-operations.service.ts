import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { OutboxEvent, OutboxEventStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { logger } from '../shared/logger';
import { fail, success, type Outcome } from '../shared/outcome';
import { transition } from '../state/transition';
import { newestFirstPage, type AdminPage, type AdminPageRequest } from './admin-page';

/** What an operator is shown by default: dead letters, and pending events that have failed at least once. */
const NEEDS_ATTENTION: FilterQuery<OutboxEvent> = {
  $or: [{ status: OutboxEventStatus.DEAD }, { status: OutboxEventStatus.PENDING, lastError: { $ne: null } }],
};

const REPLAYABLE: readonly OutboxEventStatus[] = [OutboxEventStatus.DEAD, OutboxEventStatus.PENDING];

/** Operators' view of the outbox: list events that are stuck, and replay one. */
export class OutboxOperationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock'>,
  ) {}

  /** Events in one status, or (no status) the dead and retrying ones; newest first. */
  list(status: OutboxEventStatus | null, page: AdminPageRequest): Promise<Outcome<AdminPage<OutboxEvent>>> {
    return newestFirstPage(this.em, OutboxEvent, status ? { status } : NEEDS_ATTENTION, page);
  }

  /**
   * Sends a DEAD or PENDING event to the relay again, under the same event id:
   * back to PENDING, due now, with its attempts reset (a fresh OUTBOX_MAX_ATTEMPTS).
   * The last error stays until a delivery clears it. A delivered event is refused
   * with INVALID_STATE_TRANSITION and nothing changes.
   */
  async replay(id: string): Promise<Outcome<OutboxEvent>> {
    if (!isId(id)) return fail(ErrorCode.NOT_FOUND, 'No such outbox event.', 'id');
    const moved = await transition(this.em.fork(), OutboxEvent, id, REPLAYABLE, OutboxEventStatus.PENDING, {
      attempts: 0,
      nextAttemptAt: this.deps.clock.now(),
    });
    const event = await this.em.fork().findOne(OutboxEvent, { id });
    if (!event) return fail(ErrorCode.NOT_FOUND, 'No such outbox event.', 'id');
    if (moved === 0) return fail(ErrorCode.INVALID_STATE_TRANSITION, `The event is ${event.status}; only a DEAD or PENDING event can be replayed.`, 'id');
    logger.info('outbox.replayed', { eventId: event.id, type: event.type, aggregateId: event.aggregateId });
    return success(event);
  }
}
