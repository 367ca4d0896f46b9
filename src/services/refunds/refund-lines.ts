import type { EntityManager } from '../../db/orm';
import { OrderLine, RefundStatus, type Refund, type RefundedLine } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { userFailure, type Failure } from '../shared/outcome';

/** The most lines one refund may name (an order has at most as many lines as its cart). */
export const MAX_REFUND_LINES = 100;

/** Shape checks before any SQL: ids well formed, quantities positive, each line named once. */
export function refundLinesShapeFailure(lines: readonly RefundedLine[]): Failure | null {
  if (lines.length === 0) return userFailure(ErrorCode.VALIDATION_FAILED, 'Name at least one line, or leave lines out for an order-level refund.', 'lines');
  if (lines.length > MAX_REFUND_LINES) return userFailure(ErrorCode.VALIDATION_FAILED, `A refund names at most ${MAX_REFUND_LINES} lines.`, 'lines');
  for (const [index, line] of lines.entries()) {
    if (!isId(line.orderLineId)) return userFailure(ErrorCode.NOT_FOUND, 'No such order line.', `lines.${index}.orderLineId`);
    if (!(Number.isSafeInteger(line.quantity) && line.quantity > 0)) {
      return userFailure(ErrorCode.VALIDATION_FAILED, 'A refunded quantity must be a positive whole number.', `lines.${index}.quantity`);
    }
    if (lines.findIndex((other) => other.orderLineId === line.orderLineId) !== index) {
      return userFailure(ErrorCode.VALIDATION_FAILED, 'Name each order line once.', `lines.${index}.orderLineId`);
    }
  }
  return null;
}

/** What a line costs the buyer per unit share: its total after discounts plus its tax, for `units` of its quantity (rounded down). */
export const lineShare = (line: Pick<OrderLine, 'total' | 'tax' | 'quantity'>, units: number): number =>
  Number((BigInt(line.total + line.tax) * BigInt(units)) / BigInt(line.quantity));

/**
 * Checks named lines against the order (under its row lock): each belongs to
 * it and still has the units, counting units that SUCCEEDED or PENDING line
 * refunds already named. Answers the amount the lines are worth (their share
 * of total after discounts, with tax), which a refund without an amount takes.
 */
export async function checkRefundLines(
  tx: EntityManager,
  orderId: string,
  lines: readonly RefundedLine[],
  refunds: readonly Pick<Refund, 'status' | 'lines'>[],
): Promise<{ ok: true; amount: number } | { ok: false; failure: Failure }> {
  const found = await tx.find(OrderLine, { order: orderId, id: { $in: lines.map((l) => l.orderLineId) } });
  const named = new Map<string, number>();
  for (const refund of refunds) {
    if (refund.status === RefundStatus.FAILED) continue;
    for (const line of refund.lines ?? []) named.set(line.orderLineId, (named.get(line.orderLineId) ?? 0) + line.quantity);
  }
  let amount = 0;
  for (const [index, wanted] of lines.entries()) {
    const line = found.find((candidate) => candidate.id === wanted.orderLineId);
    if (!line) return { ok: false, failure: userFailure(ErrorCode.NOT_FOUND, 'This order has no such line.', `lines.${index}.orderLineId`) };
    const left = line.quantity - (named.get(line.id) ?? 0);
    if (wanted.quantity > left) {
      return {
        ok: false,
        failure: userFailure(ErrorCode.REFUND_EXCEEDS_REFUNDABLE, `Only ${left} unit(s) of this line can still be refunded.`, `lines.${index}.quantity`),
      };
    }
    amount += lineShare(line, wanted.quantity);
  }
  return { ok: true, amount };
}
