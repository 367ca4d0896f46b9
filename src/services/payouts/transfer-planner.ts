import type { EntityManager } from '../../db/orm';
import type { PlanningCandidate } from '../../db/stores/payout-store';
import { Order, OrderStatus, PaymentMethodKind, TransferStatus } from '../../entities';
import { newId } from '../../entities/columns';
import { sellerTransferAmounts, type SellerLine } from './payout-math';
import type { PayoutDeps } from './transfer-claims';

const PAYABLE_KINDS: readonly string[] = [PaymentMethodKind.CARD, PaymentMethodKind.HOSTED_CHECKOUT];
const PAYABLE_STATES: readonly string[] = [OrderStatus.PLACED, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED];

/** Card orders that were announced as placed and are still paid (possibly refunded since) owe their sellers. */
const owesSellers = (order: PlanningCandidate): boolean =>
  order.announced && PAYABLE_KINDS.includes(order.paymentKind) && PAYABLE_STATES.includes(order.status);

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
export async function planSellerTransfers(deps: PayoutDeps, em: EntityManager, platformFeeBps: number, now: Date): Promise<number> {
  const { payouts } = deps.stores;
  const candidates = await payouts.ordersAwaitingPlanning(deps.db.unitOfWork(em));
  if (candidates.length === 0) return 0;
  const owing = candidates.filter(owesSellers);
  const lines = await payouts.sellerLines(
    deps.db.unitOfWork(em),
    owing.map((order) => order.id),
  );
  const transfers = owing
    .flatMap((order) => transfersFor(order, lines.get(order.id) ?? [], platformFeeBps, now))
    .sort((a, b) => (a.orderId === b.orderId ? compare(a.sellerId, b.sellerId) : compare(a.orderId, b.orderId)));
  const markPlanned = (tx: EntityManager) =>
    tx.nativeUpdate(Order, { id: { $in: candidates.map((order) => order.id) }, payoutsPlannedAt: null }, { payoutsPlannedAt: now });
  if (transfers.length === 0) return markPlanned(em.fork());
  return deps.db.transaction(em, async (uow) => {
    await payouts.insertTransfers(uow, transfers);
    return markPlanned(uow.em);
  });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
