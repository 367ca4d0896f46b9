import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { SagaExecution, SagaStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { checkoutPath } from '../checkout/confirm-checkout.saga';
import type { CheckoutSagaInput } from '../checkout/checkout-types';
import { CREATE_ORDER_STEP } from '../checkout/steps/create-order.step';
import { PaymentOutcomeUnknown } from '../payments/payment-port';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { fail, success, type Outcome } from '../shared/outcome';
import { recoverSagaNow, UNFINISHED } from '../workers/saga-recovery.worker';
import { newestFirstPage, type AdminPage, type AdminPageRequest } from './admin-page';

export interface SagaFilter {
  status: SagaStatus | null;
  /** true: only RUNNING or COMPENSATING past the recovery grace period; false: none of those; null: either. */
  stuck: boolean | null;
}

/** Operators' view of checkout sagas: list them, and end one now as the recovery worker would. */
export class SagaOperationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'config' | 'clock' | 'payments' | 'checkout' | 'db' | 'stores'>,
  ) {}

  list(filter: SagaFilter, page: AdminPageRequest): Promise<Outcome<AdminPage<SagaExecution>>> {
    const stale = { status: { $in: [...UNFINISHED] }, updatedAt: { $lt: this.stuckBefore() } };
    const conditions: FilterQuery<SagaExecution>[] = [];
    if (filter.status) conditions.push({ status: filter.status });
    if (filter.stuck === true) conditions.push(stale);
    if (filter.stuck === false) conditions.push({ $or: [{ status: { $nin: [...UNFINISHED] } }, { updatedAt: { $gte: this.stuckBefore() } }] });
    return newestFirstPage(this.em, SagaExecution, conditions.length > 0 ? { $and: conditions } : {}, page);
  }

  /**
   * Ends the saga now through the recovery worker's own claim and recovery
   * (recoverSagaNow). Refused with INVALID_STATE_TRANSITION, changing nothing,
   * when the saga has ended or is still within its grace period (its own
   * process may be running it). When Stripe cannot be asked about the
   * payment, PAYMENT_PROVIDER_UNAVAILABLE: the saga stays as it was, leased
   * for one grace period like any recovery round's claim.
   */
  async recover(id: string): Promise<Outcome<SagaExecution>> {
    if (!isId(id)) return fail(ErrorCode.NOT_FOUND, 'No such saga.', 'id');
    let ended: Awaited<ReturnType<typeof recoverSagaNow>>;
    try {
      ended = await recoverSagaNow(this.em, this.deps, id, this.deps.clock.now());
    } catch (error) {
      if (!(error instanceof PaymentOutcomeUnknown)) throw error;
      return fail(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, 'Stripe could not be asked about the payment; recovery tries again after the grace period.', 'id');
    }
    const saga = await this.em.fork().findOne(SagaExecution, { id });
    if (!saga) return fail(ErrorCode.NOT_FOUND, 'No such saga.', 'id');
    if (ended !== null) return success(saga);
    if (UNFINISHED.includes(saga.status)) {
      return fail(
        ErrorCode.INVALID_STATE_TRANSITION,
        `The saga is ${saga.status} and moved within the recovery grace period; its process may still be running it.`,
        'id',
      );
    }
    return fail(ErrorCode.INVALID_STATE_TRANSITION, `The saga has already ended (${saga.status}).`, 'id');
  }

  private stuckBefore(): Date {
    return new Date(this.deps.clock.now().getTime() - this.deps.config.sagaRecoveryGraceMs);
  }
}

/** The order a checkout saga created, once its create-order step committed. */
export function sagaOrderId(saga: SagaExecution): string | null {
  const input = (saga.data as { input?: Partial<CheckoutSagaInput> }).input;
  if (!input?.paymentMethod || typeof input.orderId !== 'string') return null;
  const orderWrittenAfter = checkoutPath({ paymentMethod: input.paymentMethod }).findIndex((step) => step.id === CREATE_ORDER_STEP) + 1;
  return saga.stepsCompleted < orderWrittenAfter ? null : input.orderId;
}
