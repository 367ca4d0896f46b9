import type { RequiredEntityData } from '@mikro-orm/core';
import type { SellerTransfer, TransferStatus } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

/** A placed order the payout planner has not handled yet. */
export interface PlanningCandidate {
  id: string;
  currency: string;
  paymentKind: string;
  status: string;
  /** An `order.placed` outbox event exists for it. */
  announced: boolean;
}

/** One order line's total that is owed to its seller (before the platform fee). */
export interface SellerLineTotal {
  sellerId: string;
  total: number;
}

/** Marketplace payouts: planning transfers for placed orders, and claiming the due ones for a provider call. */
export interface PayoutStore {
  /**
   * The planner's work list: up to PLANNING_BATCH placed orders not marked
   * planned, oldest placement first, each saying whether its `order.placed`
   * event was recorded. One statement, over the (payouts_planned_at,
   * placed_at, id) and outbox (type, aggregate_id) indexes.
   */
  ordersAwaitingPlanning(uow: UnitOfWork): Promise<PlanningCandidate[]>;
  /** The lines with a seller of these orders, by order id, in line order; one statement. */
  sellerLines(uow: UnitOfWork, orderIds: readonly string[]): Promise<Map<string, SellerLineTotal[]>>;
  /**
   * Inserts the transfers in one statement; one whose (order, seller) exists
   * already is left out (the unique index: two planners racing are harmless).
   * Rows go in as given: callers sort them, so racing inserts lock in one order.
   */
  insertTransfers(uow: UnitOfWork, transfers: readonly RequiredEntityData<SellerTransfer>[]): Promise<void>;
  /**
   * Claims up to `limit` transfers in one of `statuses` whose retry time has
   * come (or that never failed) in one statement, and leases them (due again
   * at `leaseUntil`), so a row is not picked again while its provider call is
   * in flight; on PostgreSQL with SKIP LOCKED, so two worker processes take
   * disjoint rows. Oldest first, each in the status it was claimed in.
   */
  claimDue(uow: UnitOfWork, statuses: readonly TransferStatus[], now: Date, leaseUntil: Date, limit: number): Promise<SellerTransfer[]>;
  /** Whether the planner has work: any placed order not marked planned (the work list's index). */
  planningDue(): DueCheck;
  /** Whether `claimDue` would find a transfer at `now` (the same predicate, over the (status, next_retry_at) index). */
  transfersDue(statuses: readonly TransferStatus[], now: Date): DueCheck;
}

/** Orders the planner takes per round. */
export const PLANNING_BATCH = 50;

/**
 * Every candidate is marked `payouts_planned_at` when handled (with or without
 * transfers), so it leaves the list for good and the batch always moves on.
 * The outbox row is the durable trigger: it commits with the order's placement.
 */
export const PLANNING_QUERY = `select o.id as id, o.currency as currency, o.payment_kind as payment_kind, o.status as status,
    case when exists (select 1 from outbox_events e where e.type = 'order.placed' and e.aggregate_id = cast(o.id as varchar(100))) then 1 else 0 end as announced
  from orders o
  where o.payouts_planned_at is null and o.placed_at is not null
  order by o.placed_at, o.id
  limit ${PLANNING_BATCH}`;
