import type { EntityManager } from '../../db/orm';
import { OrderLine, OrderStatus, PaymentMethodKind, SellerTransfer, TransferStatus } from '../../entities';
import { newId } from '../../entities/columns';
import { sellerTransferAmounts } from './payout-math';

const PLANNING_BATCH = 50;

/**
 * Orders announced by an `order.placed` outbox event, paid by card, with
 * seller lines and no transfers yet. The outbox row is the durable trigger:
 * it commits with the order's placement, so no placed order is missed even if
 * the process dies right after.
 */
async function ordersAwaitingTransfers(em: EntityManager): Promise<string[]> {
  const rows: { id: string }[] = await em.getConnection().execute(
    `select o.id as id from orders o
      where o.payment_kind in (?, ?)
        and o.status in (?, ?, ?)
        and exists (select 1 from outbox_events e where e.type = 'order.placed' and e.aggregate_id = cast(o.id as varchar(100)))
        and exists (select 1 from order_lines l where l.order_id = o.id and l.seller_id is not null)
        and not exists (select 1 from seller_transfers t where t.order_id = o.id)
      order by o.placed_at, o.id
      limit ${PLANNING_BATCH}`,
    [PaymentMethodKind.CARD, PaymentMethodKind.HOSTED_CHECKOUT, OrderStatus.PLACED, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED],
  );
  return rows.map((row) => String(row.id));
}

/**
 * Writes one PENDING SellerTransfer per seller of each such order. The unique
 * (order, seller) index with "on conflict do nothing" makes two planners
 * racing harmless: the second inserts nothing.
 */
export async function planSellerTransfers(em: EntityManager, platformFeeBps: number, now: Date): Promise<number> {
  let planned = 0;
  for (const orderId of await ordersAwaitingTransfers(em)) {
    const lines = await em.find(OrderLine, { order: orderId }, { populate: ['order'] });
    if (lines.length === 0) continue;
    const currency = lines[0].order.currency;
    const rows = [...sellerTransferAmounts(lines, platformFeeBps)].map(([sellerId, amount]) => ({
      id: newId(),
      orderId,
      sellerId,
      amount,
      reversedAmount: 0,
      pendingReversalAmount: 0,
      currency,
      status: TransferStatus.PENDING,
      retryCount: 0,
      createdAt: now,
    }));
    if (rows.length === 0) continue;
    await em.createQueryBuilder(SellerTransfer).insert(rows).onConflict(['order_id', 'seller_id']).ignore().execute();
    planned += rows.length;
  }
  return planned;
}
