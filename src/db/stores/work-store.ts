import { OrderStatus, RefundStatus, ReservationStatus, type PaymentMethodKind, type PaymentStatus } from '../../entities';
import type { Database } from '../database';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

/**
 * The background workers' one statement per tick that asks every worker
 * whether it has work, and the due checks of the workers whose rounds read
 * and move rows through the ORM (their rows belong to other aggregates).
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
}

/** The same statements on both dialects; a Date parameter of a check is sent as the dialect stores times. */
export class SqlWorkStore implements WorkStore {
  constructor(private readonly db: Database) {}

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
    return {
      sql: 'exists (select 1 from refunds where status = ? and provider_amount > 0 and created_at <= ?)',
      params: [RefundStatus.PENDING, createdBefore],
    };
  }
}
