import type { EntityManager } from '../../db/orm';
import { Order, OrderStatus, PaymentMethodKind, SellerTransfer, TransferStatus } from '../../entities';
import { newId } from '../../entities/columns';
import type { DueCheck } from '../workers/due-check';
import { sellerTransferAmounts, type SellerLine } from './payout-math';

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

/** Whether the planner has work: any placed order not yet planned (the same index as its work list). */
export function ordersAwaitingPlanningCheck(): DueCheck {
  return { sql: 'exists (select 1 from orders where payouts_planned_at is null and placed_at is not null)', params: [] };
}

/** Card orders that were announced as placed and are still paid (possibly refunded since) owe their sellers. */
const owesSellers = (order: PlanningCandidate): boolean =>
  order.announced && PAYABLE_KINDS.includes(order.paymentKind) && PAYABLE_STATES.includes(order.status);

/** The seller lines of the orders that owe, grouped by order: one query for the whole batch. */
async function sellerLinesByOrder(em: EntityManager, orderIds: readonly string[]): Promise<Map<string, SellerLine[]>> {
  const byOrder = new Map<string, SellerLine[]>();
  if (orderIds.length === 0) return byOrder;
  const rows: Record<string, unknown>[] = await em.execute(
    'select order_id, seller_id, total from order_lines where order_id in (?) and seller_id is not null order by order_id, position',
    [orderIds],
  );
  for (const row of rows) {
    const orderId = String(row.order_id);
    const lines = byOrder.get(orderId) ?? [];
    lines.push({ sellerId: String(row.seller_id), total: Number(row.total) });
    byOrder.set(orderId, lines);
  }
  return byOrder;
}

/** One PENDING transfer per seller left with something after the fee. */
function transfersFor(order: PlanningCandidate, lines: readonly SellerLine[], platformFeeBps: number, now: Date) {
  return [...sellerTransferAmounts(lines, platformFeeBps)].map(([sellerId, amount]) => ({
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
}

/**
 * One planning round, set-based: the batch's seller lines in one query, then
 * every transfer in one multi-row insert and every order of the batch marked
 * planned in one update, in one transaction (just the update when nobody is
 * owed anything, e.g. cash on delivery or a 100% voucher on the seller lines):
 * marking each candidate is what keeps the batch moving on. The unique
 * (order, seller) index with "on conflict do nothing" and the guarded mark make
 * two planners racing harmless; rows go in sorted by (order, seller), so two
 * such inserts take their locks in the same order. Returns the orders it marked.
 */
export async function planSellerTransfers(em: EntityManager, platformFeeBps: number, now: Date): Promise<number> {
  const candidates = await ordersAwaitingPlanning(em);
  if (candidates.length === 0) return 0;
  const owing = candidates.filter(owesSellers);
  const lines = await sellerLinesByOrder(
    em,
    owing.map((order) => order.id),
  );
  const transfers = owing
    .flatMap((order) => transfersFor(order, lines.get(order.id) ?? [], platformFeeBps, now))
    .sort((a, b) => (a.orderId === b.orderId ? compare(a.sellerId, b.sellerId) : compare(a.orderId, b.orderId)));
  const markPlanned = (tx: EntityManager) =>
    tx.nativeUpdate(Order, { id: { $in: candidates.map((order) => order.id) }, payoutsPlannedAt: null }, { payoutsPlannedAt: now });
  if (transfers.length === 0) return markPlanned(em.fork());
  return em.fork().transactional(async (raw) => {
    const tx = raw as EntityManager;
    await tx.createQueryBuilder(SellerTransfer).insert(transfers).onConflict(['order_id', 'seller_id']).ignore().execute();
    return markPlanned(tx);
  });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
