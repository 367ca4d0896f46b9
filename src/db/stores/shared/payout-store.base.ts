import type { RequiredEntityData } from '@mikro-orm/core';
import { Order, OrderLine, OutboxEvent, SellerTransfer, type TransferStatus } from '../../../entities';
import { intOf } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import type { DueCheck } from '../due-check';
import { PLANNING_QUERY, type PayoutStore, type PlanningCandidate, type SellerLineTotal } from '../payout-store';
import { byCreatedAtThenId, type ClaimWithLease } from './lease-claim';

/** Transfers in one of the statuses whose retry time has come (or that never failed): the claim's predicate and the due check. */
const DUE = 'status in (?) and (next_retry_at is null or next_retry_at <= ?)';

interface CandidateRow {
  id: string;
  currency: string;
  payment_kind: string;
  status: string;
  announced: number | boolean | string;
}

export abstract class PayoutStoreBase implements PayoutStore {
  protected abstract readonly claimWithLease: ClaimWithLease;

  async ordersAwaitingPlanning(uow: UnitOfWork): Promise<PlanningCandidate[]> {
    await uow.readable(Order);
    await uow.readable(OutboxEvent);
    const rows = await uow.sql.rows<CandidateRow>(PLANNING_QUERY);
    return rows.map((row) => ({
      id: String(row.id),
      currency: String(row.currency),
      paymentKind: String(row.payment_kind),
      status: String(row.status),
      announced: Number(row.announced) === 1 || row.announced === true,
    }));
  }

  async sellerLines(uow: UnitOfWork, orderIds: readonly string[]): Promise<Map<string, SellerLineTotal[]>> {
    const byOrder = new Map<string, SellerLineTotal[]>();
    if (orderIds.length === 0) return byOrder;
    await uow.readable(OrderLine);
    const rows = await uow.sql.rows<{ order_id: string; seller_id: string; total: number | string }>(
      'select order_id, seller_id, total from order_lines where order_id in (?) and seller_id is not null order by order_id, position',
      [orderIds],
    );
    for (const row of rows) {
      const orderId = String(row.order_id);
      const lines = byOrder.get(orderId) ?? [];
      lines.push({ sellerId: String(row.seller_id), total: intOf(row.total) });
      byOrder.set(orderId, lines);
    }
    return byOrder;
  }

  async insertTransfers(uow: UnitOfWork, transfers: readonly RequiredEntityData<SellerTransfer>[]): Promise<void> {
    if (transfers.length === 0) return;
    await uow.em
      .createQueryBuilder(SellerTransfer)
      .insert([...transfers])
      .onConflict(['order_id', 'seller_id'])
      .ignore()
      .execute();
  }

  async claimDue(uow: UnitOfWork, statuses: readonly TransferStatus[], now: Date, leaseUntil: Date, limit: number): Promise<SellerTransfer[]> {
    const rows = await this.claimWithLease(uow.sql, {
      table: 'seller_transfers',
      lease: 'next_retry_at = ?',
      leaseParams: [uow.sql.time(leaseUntil)],
      due: DUE,
      dueParams: [statuses, uow.sql.time(now)],
      orderBy: 'created_at, id',
      limit,
    });
    const reader = uow.em.fork();
    return rows.map((row) => reader.map(SellerTransfer, row)).sort(byCreatedAtThenId);
  }

  planningDue(): DueCheck {
    return { sql: 'exists (select 1 from orders where payouts_planned_at is null and placed_at is not null)', params: [] };
  }

  transfersDue(statuses: readonly TransferStatus[], now: Date): DueCheck {
    return { sql: `exists (select 1 from seller_transfers where ${DUE})`, params: [statuses, now] };
  }
}
