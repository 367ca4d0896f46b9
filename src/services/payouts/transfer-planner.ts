import type { EntityManager } from '../../db/orm';
import { Order, OrderLine, OrderStatus, PaymentMethodKind, SellerTransfer, TransferStatus } from '../../entities';
import { newId } from '../../entities/columns';
import { sellerTransferAmounts } from './payout-math';

const PLANNING_BATCH = 50;

const PAYABLE_KINDS: readonly string[] = [PaymentMethodKind.CARD, PaymentMethodKind.HOSTED_CHECKOUT];
const PAYABLE_STATES: readonly string[] = [OrderStatus.PLACED, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED];

interface PlanningCandidate {
  id: string;
  currency: string;
  paymentKind: string;
  status: string;
  /** An `order.placed` outbox event exists for it. */
  announced: boolean;
}

/**
 * The planner's work list: placed orders it has not handled yet, oldest
 * first. Every candidate is marked `payouts_planned_at` when handled (with or
 * without transfers), so it leaves the list for good and the batch always
 * moves on; the (payouts_planned_at, placed_at, id) index serves the scan and
 * the (type, aggregate_id) index the `order.placed` look-up. The outbox row is
 * the durable trigger: it commits with the order's placement.
 */
export const PLANNING_QUERY = `select o.id as id, o.currency as currency, o.payment_kind as payment_kind, o.status as status,
    case when exists (select 1 from outbox_events e where e.type = 'order.placed' and e.aggregate_id = cast(o.id as varchar(100))) then 1 else 0 end as announced
  from orders o
  where o.payouts_planned_at is null and o.placed_at is not null
  order by o.placed_at, o.id
  limit ${PLANNING_BATCH}`;

async function ordersAwaitingPlanning(em: EntityManager): Promise<PlanningCandidate[]> {
  const rows: Record<string, unknown>[] = await em.getConnection().execute(PLANNING_QUERY);
  return rows.map((row) => ({
    id: String(row.id),
    currency: String(row.currency),
    paymentKind: String(row.payment_kind),
    status: String(row.status),
    announced: Number(row.announced) === 1 || row.announced === true,
  }));
}

/** Card orders that were announced as placed and are still paid (possibly refunded since) owe their sellers. */
const owesSellers = (order: PlanningCandidate): boolean =>
  order.announced && PAYABLE_KINDS.includes(order.paymentKind) && PAYABLE_STATES.includes(order.status);

/**
 * Handles one order in one short transaction: one PENDING SellerTransfer per
 * seller left with something after the fee, and the order marked planned —
 * also when nobody is owed anything (e.g. a 100% voucher on the seller
 * lines), which is what keeps such orders from clogging the batch. The unique
 * (order, seller) index with "on conflict do nothing" and the guarded mark
 * make two planners racing harmless. Returns the transfers written.
 */
async function planOrder(em: EntityManager, order: PlanningCandidate, platformFeeBps: number, now: Date): Promise<number> {
  const lines = owesSellers(order) ? await em.fork().find(OrderLine, { order: order.id }, { fields: ['sellerId', 'total'] }) : [];
  const rows = [...sellerTransferAmounts(lines, platformFeeBps)].map(([sellerId, amount]) => ({
    id: newId(),
    orderId: order.id,
    sellerId,
    amount,
    reversedAmount: 0,
    pendingReversalAmount: 0,
    currency: order.currency,
    status: TransferStatus.PENDING,
    retryCount: 0,
    createdAt: now,
  }));
  return em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    if (rows.length > 0) await tx.createQueryBuilder(SellerTransfer).insert(rows).onConflict(['order_id', 'seller_id']).ignore().execute();
    const marked = await tx.nativeUpdate(Order, { id: order.id, payoutsPlannedAt: null }, { payoutsPlannedAt: now });
    return marked === 1 ? rows.length : 0;
  });
}

/** One planning round: every order of the batch is planned (and marked), so the next round sees the next orders. */
export async function planSellerTransfers(em: EntityManager, platformFeeBps: number, now: Date): Promise<number> {
  let planned = 0;
  for (const order of await ordersAwaitingPlanning(em)) planned += await planOrder(em, order, platformFeeBps, now);
  return planned;
}
