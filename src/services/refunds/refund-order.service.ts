import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { annotateLogContext } from '../../observability/log-context';
import type { EntityManager } from '../../db/orm';
import { OrderStatus, Refund, RefundStatus, type RefundedLine } from '../../entities';
import type { AppDeps } from '../app-deps';
import { recordEvent } from '../outbox/outbox';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, fail, success, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { checkRefundLines, refundLinesShapeFailure } from './refund-lines';
import { refundableBalance } from '../orders/order-balance';
import { splitRefund } from './refund-policy';
import { dispatchProviderRefund, type RefundProvider } from './refund-dispatch';
import { settleRefund } from './refund-settlement';

export interface RefundOrderCommand {
  orderId: string;
  /** Minor units; null = everything still refundable. */
  amount: number | null;
  reason: string;
  idempotencyKey: string;
  /** Lines (and units of each) being refunded; their licenses are revoked when the refund succeeds. Null = order-level. */
  lines?: RefundedLine[] | null;
}

const REFUNDABLE_STATES: readonly OrderStatus[] = [OrderStatus.PLACED, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED];

/** Same key: the same refund when order, amount and lines match (omitted amount or lines match), else a reuse error. */
function replayOf(existing: Refund, command: RefundOrderCommand): Outcome<{ refundId: string; replayed: boolean }> {
  const sameLines =
    !command.lines ||
    JSON.stringify(command.lines.map((l) => [l.orderLineId, l.quantity])) === JSON.stringify((existing.lines ?? []).map((l) => [l.orderLineId, l.quantity]));
  const sameInput = existing.orderId === command.orderId && (command.amount === null || command.amount === existing.amount) && sameLines;
  if (!sameInput) {
    return fail(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was already used for a different refund.', 'idempotencyKey');
  }
  return success({ refundId: existing.id, replayed: true });
}

/**
 * refundOrder (admin), in two phases (invariant 9, rules in refund-policy.ts).
 * Phase 1, one transaction with the order and its payments row-locked: check
 * the refundable amount, create the Refund PENDING plus outbox
 * `refund.requested`; a refund wholly to store credit settles right there.
 * Phase 2, outside any transaction: the card part goes to the provider with
 * the refund id as idempotency key; its answer, a webhook, or the
 * pending-refunds worker settles it.
 */
export class RefundOrderService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock' | 'db' | 'stores'> & { payments: RefundProvider | null },
  ) {}

  async refundOrder(command: RefundOrderCommand): Promise<Outcome<Refund>> {
    if (!isId(command.orderId)) return fail(ErrorCode.NOT_FOUND, 'No such order.', 'orderId');
    if (command.amount !== null && !(Number.isSafeInteger(command.amount) && command.amount > 0)) {
      return fail(ErrorCode.VALIDATION_FAILED, 'A refund amount must be a positive whole number of minor units.', 'amount');
    }
    annotateLogContext({ orderId: command.orderId });
    const badLines = command.lines ? refundLinesShapeFailure(command.lines) : null;
    if (badLines) return { ok: false, failure: badLines };
    const now = this.deps.clock.now();
    const opened = await this.openRefund(command, now);
    if (!opened.ok) return opened;
    const { refundId } = opened.value;
    annotateLogContext({ refundId });
    // A replay calls the provider only for a refund an outage left unanswered
    // (no provider id yet); Stripe then replays the same key, never refunds twice.
    if (this.deps.payments) await dispatchProviderRefund(this.em.fork(), this.deps.payments, refundId, now);
    return success(await this.em.fork().findOneOrFail(Refund, { id: refundId }));
  }

  private async openRefund(command: RefundOrderCommand, now: Date): Promise<Outcome<{ refundId: string; replayed: boolean }>> {
    try {
      const outcome = await transactionalOutcome(this.em, (tx) => this.phaseOne(tx, command, now));
      return outcome.ok ? outcome.value : outcome;
    } catch (error) {
      // Two requests with one key raced past the look-up: the unique index let one in.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const existing = await this.em.fork().findOne(Refund, { idempotencyKey: command.idempotencyKey });
      if (!existing) throw error;
      return replayOf(existing, command);
    }
  }

  private async phaseOne(tx: EntityManager, command: RefundOrderCommand, now: Date): Promise<Outcome<{ refundId: string; replayed: boolean }>> {
    const uow = this.deps.db.unitOfWork(tx);
    const { orders } = this.deps.stores;
    const order = await orders.lock(uow, command.orderId);
    // The key is checked after the order lock, so a same-key request that waited sees the committed refund.
    const existing = await tx.findOne(Refund, { idempotencyKey: command.idempotencyKey });
    if (existing) return replayOf(existing, command);
    if (!order) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such order.', 'orderId'));
    if (!REFUNDABLE_STATES.includes(order.status)) {
      return abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, `An order that is ${order.status} cannot be refunded.`, 'orderId'));
    }
    const payments = await orders.lockPayments(uow, order.id);
    const refunds = await tx.find(Refund, { orderId: order.id });
    const balance = refundableBalance(order.creditApplied, payments, refunds);
    const named = command.lines ? await checkRefundLines(tx, order.id, command.lines, refunds) : null;
    if (named && !named.ok) return abortWith(named.failure);
    // Named lines without an amount refund what those units cost (never more than is left).
    const amount = command.amount ?? (named?.ok ? Math.min(named.amount, balance.refundable) : balance.refundable);
    if (amount <= 0 || amount > balance.refundable) {
      return abortWith(
        userFailure(
          ErrorCode.REFUND_EXCEEDS_REFUNDABLE,
          `At most ${balance.refundable} ${order.currency} (minor units) can still be refunded on this order.`,
          'amount',
        ),
      );
    }
    const split = splitRefund(amount, balance);
    if (split.providerAmount > 0 && !this.deps.payments) {
      return abortWith(userFailure(ErrorCode.PAYMENT_PROVIDER_NOT_CONFIGURED, 'Card refunds are not available: no payment provider is configured.'));
    }
    if (split.creditAmount > 0 && !order.customerId) {
      return abortWith(
        userFailure(ErrorCode.INVALID_STATE_TRANSITION, 'This part of the refund goes to store credit, which a guest order cannot receive.', 'orderId'),
      );
    }
    const refund = tx.create(Refund, {
      orderId: order.id,
      idempotencyKey: command.idempotencyKey,
      amount,
      providerAmount: split.providerAmount,
      currency: order.currency,
      reason: command.reason,
      lines: command.lines ? command.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity })) : null,
      status: RefundStatus.PENDING,
      createdAt: now,
    });
    recordEvent(tx, {
      type: 'refund.requested',
      aggregateId: order.id,
      payload: { orderId: order.id, refundId: refund.id, amount, providerAmount: split.providerAmount, creditAmount: split.creditAmount },
    });
    await tx.flush();
    if (split.providerAmount === 0) {
      await settleRefund(tx, refund.id, { status: RefundStatus.SUCCEEDED, providerRefundId: null }, now);
    }
    return success({ refundId: refund.id, replayed: false });
  }
}
