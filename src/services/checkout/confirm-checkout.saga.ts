import type { EntityManager } from '../../db/orm';
import { newId } from '../../entities/columns';
import { Order, OrderStatus, Payment, PaymentStatus, SagaExecution, SagaStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { NO_PROVIDER, type CheckoutPayments } from '../payments/payment-port';
import type { OrderFields, OrderLineFields, PaymentFields, WrittenOrder } from '../orders/order-rows';
import { planPaymentRecovery } from './recovery/payment-recovery';
import { SagaRunner, type RolledBackGroup, type SagaRunResult } from '../saga/saga-runner';
import { SagaLeftForRecovery } from '../saga/saga-types';
import { cartRef, logger } from '../shared/logger';
import { annotateLogContext } from '../../observability/log-context';
import { checkoutConfirmDuration, checkoutOutcomes } from '../../observability/metrics';
import { ErrorCode } from '../shared/error-code';
import { idempotencyKeyFor } from '../orders/checkout-idempotency';
import { isId } from '../shared/ids';
import { fail, success, type Outcome } from '../shared/outcome';
import {
  CHECKOUT_SAGA_KIND,
  settlesLocally,
  type CheckoutActor,
  type CheckoutDeps,
  type CheckoutSagaInput,
  type CheckoutShape,
  type PaymentOutput,
  type ConfirmCheckoutCommand,
  type ConfirmCheckoutOptions,
} from './checkout-types';
import { afterCheckoutRollback, announceCompensation } from './checkout-events';
import { refuseBeforeCheckout } from './confirm-admission';
import { answerBusyCart, CartBusy, claimCartStep, type ReplayAnswer } from './steps/claim-cart.step';
import { CREATE_ORDER_STEP, createOrderStep } from './steps/create-order.step';
import { finalizeStep, placeOrderStep } from './steps/finalize.step';
import { holdVouchersStep, useVouchersStep } from './steps/hold-vouchers.step';
import { awaitsBuyer, PAYMENT_STEP, paymentStep } from './steps/payment.step';
import { priceGuardStep } from './steps/price-guard.step';
import { reserveStockStep, takeStockStep } from './steps/reserve-stock.step';

/**
 * confirmCheckout for a card or hosted payment (docs/design.md "Sagas"). The
 * steps before the payment hold everything in one transaction and commit it
 * (the pivot rule): the key claimed IN_PROGRESS, the cart CHECKING_OUT at the
 * prices it showed, its units reserved, its vouchers HELD, the order
 * PENDING_PAYMENT with its credit spent. The payment calls out with no
 * transaction open; finalize places the order, or hands it to the buyer.
 *
 * What flows between steps (StepRun.output within a run, .recorded from the saga row):
 *   claim-cart    → the locked cart, its preview reservations and voucher slots (one read)
 *   price-guard   → the cart at the prices it charges, priced once
 *   reserve-stock → the reservations              (finalize converts them)
 *   hold-vouchers → the redemption ids            (finalize consumes them)
 *   create-order  → order and payment ids, amounts (payment charges them)
 *   payment       → the provider's answer          (finalize records it)
 */
export const PROVIDER_PATH = [
  claimCartStep({ claimKeyNow: true }),
  priceGuardStep({ keepCartForRetry: true }),
  reserveStockStep,
  holdVouchersStep,
  createOrderStep({ placed: false }),
  paymentStep,
  finalizeStep,
] as const;

/**
 * confirmCheckout for cash on delivery and store credit: no outside call, so
 * the whole path is one transaction that sells at once and commits with the
 * COMPLETED saga row, or rolls back whole (nothing to compensate). The data
 * flow is the provider path's, with the sale made in place: take-stock sells
 * the units, use-vouchers consumes the uses, create-order writes the order
 * PLACED, and place-order finishes it (cart CONVERTED, key COMPLETED,
 * licenses, `order.placed`).
 */
export const LOCAL_PATH = [
  claimCartStep({ claimKeyNow: false }),
  priceGuardStep({ keepCartForRetry: false }),
  takeStockStep,
  useVouchersStep,
  createOrderStep({ placed: true }),
  placeOrderStep,
] as const;

/** The path a checkout takes: chosen by its payment kind, once, and the same on a resume or a compensation. */
export const checkoutPath = (input: Pick<CheckoutSagaInput, 'paymentMethod'>): typeof LOCAL_PATH | typeof PROVIDER_PATH =>
  settlesLocally(input) ? LOCAL_PATH : PROVIDER_PATH;

export const DEFAULT_STEP_TIMEOUT_MS = 30_000;

export interface CheckoutConfirmation {
  order: OrderFields;
  /** Null when the order's lines were not at hand (its GraphQL answer loads them if asked). */
  lines: OrderLineFields[] | null;
  payment: PaymentFields | null;
  replayed: boolean;
}

/**
 * The confirmCheckout saga: runs the steps, answers replays, and decides how a
 * saga left unfinished by a dead process ends (see `recover`).
 */
export class ConfirmCheckoutSaga {
  private readonly runner: SagaRunner<CheckoutSagaInput, CheckoutDeps, CheckoutShape>;

  constructor(
    private readonly deps: CheckoutDeps,
    private readonly options: ConfirmCheckoutOptions = {},
  ) {
    const definition = {
      kind: CHECKOUT_SAGA_KIND,
      stepsFor: (input: CheckoutSagaInput) => checkoutPath(input),
      onCompensated: announceCompensation,
      afterRollback: (tx: EntityManager, group: RolledBackGroup<CheckoutSagaInput>) => afterCheckoutRollback(deps, tx, group),
    };
    this.runner = new SagaRunner(definition, deps, {
      db: deps.db,
      now: () => deps.clock.now(),
      faults: options.faults,
      stepTimeoutMs: options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
    });
  }

  /** Built from the app's dependencies: its payment provider (or none) and the step options the app was started with. */
  static fromApp(app: Pick<AppDeps, 'config' | 'clock' | 'checkout' | 'db' | 'stores'> & { payments: CheckoutPayments | null }): ConfirmCheckoutSaga {
    const { config, clock, db, stores } = app;
    return new ConfirmCheckoutSaga({ config, clock, db, stores, payments: app.payments ?? NO_PROVIDER }, app.checkout);
  }

  /**
   * One confirmCheckout, counted once in checkout_outcomes_total whatever the
   * answer: the order's status, a business failure's ErrorCode, or
   * INTERNAL_ERROR for a fault (rethrown).
   */
  async confirm(em: EntityManager, command: ConfirmCheckoutCommand, actor: CheckoutActor): Promise<Outcome<CheckoutConfirmation>> {
    if (isId(command.cartId)) annotateLogContext({ cartRef: cartRef(command.cartId) });
    let outcome: Outcome<CheckoutConfirmation>;
    const stopTimer = checkoutConfirmDuration.startTimer({ payment_kind: command.paymentMethod });
    try {
      outcome = await this.confirmOnce(em, command, actor);
    } catch (error) {
      checkoutOutcomes.inc({ payment_kind: command.paymentMethod, outcome: 'INTERNAL_ERROR' });
      throw error;
    } finally {
      stopTimer();
    }
    checkoutOutcomes.inc({ payment_kind: command.paymentMethod, outcome: checkoutOutcomeLabel(outcome) });
    return outcome;
  }

  private async confirmOnce(em: EntityManager, command: ConfirmCheckoutCommand, actor: CheckoutActor): Promise<Outcome<CheckoutConfirmation>> {
    if (!isId(command.cartId)) return fail(ErrorCode.NOT_FOUND, 'No such cart.', 'cartId');
    // A returnUrl off the allowed origins, or guest cash on delivery when it is off: refused before the saga, so nothing is written.
    const refused = await refuseBeforeCheckout(em, command, this.deps);
    if (refused) return { ok: false, failure: refused };
    const input: CheckoutSagaInput = {
      cartId: command.cartId,
      versionKey: command.versionKey,
      paymentMethod: command.paymentMethod,
      useCredit: command.useCredit ?? false,
      acknowledgePriceChange: command.acknowledgePriceChange ?? false,
      stripePaymentMethodId: command.stripePaymentMethodId ?? null,
      returnUrl: command.returnUrl ?? null,
      actor,
      orderId: newId(),
    };
    annotateLogContext({ orderId: input.orderId });
    let outcome: Outcome<SagaRunResult<CheckoutShape>>;
    try {
      outcome = await this.runner.start(em, newId(), idempotencyKeyFor(input.cartId, input.versionKey), input);
    } catch (error) {
      if (error instanceof CartBusy) return this.answerBusy(em, input);
      // The provider's answer was lost: nothing is compensated; recovery asks Stripe and ends the order.
      if (!(error instanceof SagaLeftForRecovery)) throw error;
      logger.warn('checkout.payment_outcome_unknown', { orderId: input.orderId, cartId: input.cartId, reason: error.message });
      return fail(
        ErrorCode.CHECKOUT_IN_PROGRESS,
        'The payment provider did not answer in time; the payment is being verified. Check the order shortly.',
        'paymentMethod',
      );
    }
    if (!outcome.ok) return outcome;
    if (outcome.value.kind === 'answered') return success(await loadConfirmation(em.fork(), (outcome.value.value as ReplayAnswer).replayOrderId, true));
    const { outputs } = outcome.value;
    const written = outputs['create-order']?.written;
    if (!written) return success(await loadConfirmation(em.fork(), input.orderId, false));
    // The local path has no payment step: its order was written PLACED, as it is answered.
    const payment = outputs.payment;
    return success({ ...(payment ? answerAsWritten(written, payment, this.deps.clock.now()) : written), replayed: false });
  }

  /** Another transaction held the cart: the answer comes from committed state (replay, mismatch or in progress). */
  private async answerBusy(em: EntityManager, input: CheckoutSagaInput): Promise<Outcome<CheckoutConfirmation>> {
    const answer = await answerBusyCart(this.deps.db.unitOfWork(em.fork()), this.deps.stores.checkouts, input);
    if ('replayOrderId' in answer) return success(await loadConfirmation(em.fork(), answer.replayOrderId, true));
    return { ok: false, failure: answer };
  }

  /**
   * Ends a saga whose process died. Decided per step reached:
   * - COMPENSATING: finish the compensations (each is idempotent).
   * - RUNNING on the local path with the order written (a row the one
   *   transaction never leaves; kept for rows written before the paths were
   *   split): finish, so the buyer keeps the order they confirmed.
   * - RUNNING with the order written and a card/hosted payment: ask the
   *   provider (recoverProviderPayment) and finish or compensate accordingly.
   * - RUNNING anywhere earlier: compensate everything recorded.
   * A business failure while completing compensates too.
   */
  async recover(em: EntityManager, row: SagaExecution): Promise<'completed' | 'compensated'> {
    const input = (row.data as unknown as { input: CheckoutSagaInput }).input;
    const orderWritten = row.stepsCompleted > checkoutPath(input).findIndex((step) => step.id === CREATE_ORDER_STEP);
    if (row.status === SagaStatus.RUNNING && orderWritten && settlesLocally(input)) {
      const outcome = await this.runner.resume(em, row);
      return outcome.ok ? 'completed' : 'compensated';
    }
    if (row.status === SagaStatus.RUNNING && orderWritten) return this.recoverProviderPayment(em, row, input);
    await this.runner.compensate(em, row.id, `recovered after a crash at step ${row.stepsCompleted}`);
    return 'compensated';
  }

  /**
   * A card or hosted payment whose saga died after the order was written:
   * - the provider's answer was recorded → finish (place, or hand over to webhooks);
   * - it was not → ask Stripe by the order id: a live payment is taken over and
   *   finished, none (or a failed one) means compensate. Stripe unreachable →
   *   throws, and the next recovery round asks again.
   */
  private async recoverProviderPayment(em: EntityManager, row: SagaExecution, input: CheckoutSagaInput): Promise<'completed' | 'compensated'> {
    const paymentRecorded = row.stepsCompleted > PROVIDER_PATH.findIndex((step) => step.id === PAYMENT_STEP);
    if (paymentRecorded) {
      const outcome = await this.runner.resume(em, row);
      return outcome.ok ? 'completed' : 'compensated';
    }
    const plan = await planPaymentRecovery(this.deps.payments, input.orderId);
    if (plan.action === 'compensate') {
      await this.runner.compensate(em, row.id, `recovered after a crash during payment: ${plan.reason}`);
      return 'compensated';
    }
    const resumed = new ConfirmCheckoutSaga({ ...this.deps, payments: plan.payments }, { ...this.options, faults: undefined });
    const outcome = await resumed.runner.resume(em, row);
    return outcome.ok ? 'completed' : 'compensated';
  }
}

/** PLACED or PENDING_PAYMENT for a new order, REPLAYED for the answer to a repeated confirm, else the failure's ErrorCode. */
export function checkoutOutcomeLabel(outcome: Outcome<CheckoutConfirmation>): string {
  if (!outcome.ok) return outcome.failure.code;
  return outcome.value.replayed ? 'REPLAYED' : outcome.value.order.status;
}

/**
 * The confirmation from what this run wrote, with no read back: the order as
 * created, moved on by finalize the way finalize moved it — placed, or
 * waiting for the buyer with the provider's answer on the payment.
 */
function answerAsWritten(written: WrittenOrder, payment: PaymentOutput, now: Date): Omit<CheckoutConfirmation, 'replayed'> {
  const { attempt } = payment;
  const placed = { order: { ...written.order, status: OrderStatus.PLACED, placedAt: now }, lines: written.lines };
  // Store credit covered the order: nobody was asked, and finalize placed it with its payment CAPTURED.
  if (!attempt) return payment.status === 'CAPTURED' ? { ...placed, payment: { ...written.payment, status: PaymentStatus.CAPTURED } } : written;
  const fromProvider = { providerReference: attempt.providerReference, clientSecret: attempt.clientSecret, checkoutUrl: attempt.checkoutUrl };
  if (awaitsBuyer(payment)) {
    const status = attempt.status === 'REQUIRES_ACTION' ? PaymentStatus.REQUIRES_ACTION : PaymentStatus.PENDING;
    return { ...written, payment: { ...written.payment, ...fromProvider, status } };
  }
  return { ...placed, payment: { ...written.payment, ...fromProvider, status: PaymentStatus[attempt.status as 'CAPTURED' | 'AUTHORIZED'] } };
}

async function loadConfirmation(em: EntityManager, orderId: string, replayed: boolean): Promise<CheckoutConfirmation> {
  const order = await em.findOneOrFail(Order, { id: orderId }, { populate: ['lines'] });
  const payment = await em.findOne(Payment, { orderId }, { orderBy: { createdAt: 'desc' } });
  return { order, lines: order.lines.getItems(), payment, replayed };
}
