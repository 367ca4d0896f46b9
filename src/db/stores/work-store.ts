import { CartStatus, OrderStatus, RefundStatus, ReservationStatus, type PaymentMethodKind, type PaymentStatus } from '../../entities';
import type { Database } from '../database';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

/**
 * The background workers' own statements over rows other stores own: the
 * one statement per tick that asks every worker whether it has work, the due
 * checks of workers whose rounds are ORM reads and guarded transitions, and
 * the retention deletes of the cleanup worker.
 */
export interface WorkStore {
  /**
   * Asks every check in ONE statement, `select (exists …) as d0, …`, and
   * answers which are due, in order. Sent as text: its shape changes with
   * the workers asked, and each would take a slot of the statement cache.
   */
  whichAreDue(uow: UnitOfWork, checks: readonly DueCheck[]): Promise<boolean[]>;
  /** ACTIVE reservations whose time is up at `now` (the reservation-expiry worker). */
  expiredReservationsDue(now: Date): DueCheck;
  /**
   * Payments of `kind` in `status`, with a provider reference, of orders still
   * PENDING_PAYMENT, whose window ended: their stored expiry is before `now`,
   * or they have none and were created before `createdBefore`.
   */
  lapsedPaymentsDue(kind: PaymentMethodKind, status: PaymentStatus, now: Date, createdBefore: Date): DueCheck;
  /** PENDING refunds with a part to ask the provider for, created at or before `createdBefore`. */
  pendingRefundsDue(createdBefore: Date): DueCheck;
  /** OPEN carts untouched since before `cutoff`, or RELEASED reservations that expired before it. */
  cleanupDue(cutoff: Date): DueCheck;
  /**
   * Deletes up to `limit` OPEN carts without lines untouched since before
   * `cutoff`, oldest first, in one statement; answers how many. A cart being
   * changed meanwhile (every change first bumps its `updated_at`) is no longer
   * old when the delete re-checks the row it locks, and stays; carts another
   * transaction holds are left to a later round.
   */
  deleteAbandonedCarts(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number>;
  /** Deletes up to `limit` RELEASED reservations that expired before `cutoff`, oldest first, in one statement; answers how many. */
  deleteReleasedReservations(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number>;
}

/** The picked carts: OPEN, untouched since before the cutoff, without lines; oldest first. */
export const abandonedCartsPick = (limit: number): string => 'select c.id from carts c where c.status in (?) and c.updated_at < ?'
  + ` and not exists (select 1 from cart_lines l where l.cart_id = c.id) order by c.updated_at limit ${positive(limit)}`;

/** The condition checked again on the row the delete finally locks. */
export const ABANDONED_CART_RECHECK = 'status in (?) and updated_at < ?';

function positive(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`batch limit must be a positive integer (got ${limit})`);
  return limit;
}

export abstract class WorkStoreBase implements WorkStore {
  constructor(protected readonly db: Database) {}

  abstract deleteAbandonedCarts(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number>;

  async whichAreDue(uow: UnitOfWork, checks: readonly DueCheck[]): Promise<boolean[]> {
    if (checks.length === 0) return [];
    const sql = this.db.sql(uow.em, { prepared: false });
    const text = `select ${checks.map((check, i) => `(${check.sql}) as d${i}`).join(', ')}`;
    const params = checks.flatMap((check) => check.params.map((param) => (param instanceof Date ? sql.time(param) : param)));
    const [row] = await sql.rows(text, params);
    // PostgreSQL answers booleans, libSQL 0/1.
    return checks.map((_, i) => row?.[`d${i}`] === true || Number(row?.[`d${i}`]) === 1);
  }

  expiredReservationsDue(now: Date): DueCheck {
    return { sql: 'exists (select 1 from reservations where status = ? and expires_at <= ?)', params: [ReservationStatus.ACTIVE, now] };
  }

  lapsedPaymentsDue(kind: PaymentMethodKind, status: PaymentStatus, now: Date, createdBefore: Date): DueCheck {
    // `status in (?)`, not `=`: the status-write detector reads an aliased `x.status =` as an assignment.
    return {
      sql: `exists (select 1 from payments p join orders o on o.id = p.order_id
      where p.kind = ? and p.status in (?) and p.provider_reference is not null and o.status in (?)
        and (p.expires_at < ? or (p.expires_at is null and p.created_at < ?)))`,
      params: [kind, status, OrderStatus.PENDING_PAYMENT, now, createdBefore],
    };
  }

  pendingRefundsDue(createdBefore: Date): DueCheck {
    return { sql: 'exists (select 1 from refunds where status = ? and provider_amount > 0 and created_at <= ?)', params: [RefundStatus.PENDING, createdBefore] };
  }

  cleanupDue(cutoff: Date): DueCheck {
    return {
      sql: 'exists (select 1 from carts where status = ? and updated_at < ?) or exists (select 1 from reservations where status = ? and expires_at < ?)',
      params: [CartStatus.OPEN, cutoff, ReservationStatus.RELEASED, cutoff],
    };
  }

  /** RELEASED is final and no availability read counts such a row: it is only history (CONVERTED ones are kept, a cancellation puts their units back). */
  deleteReleasedReservations(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number> {
    return uow.sql.write(
      `delete from reservations where id in (select id from reservations where status = ? and expires_at < ? order by expires_at limit ${positive(limit)})`,
      [ReservationStatus.RELEASED, uow.sql.time(cutoff)],
    );
  }
}
