import type { EntityManager } from '../../db/orm';
import { recordEvent } from '../outbox/outbox';
import type { SagaRecordData } from '../saga/saga-types';
import type { CheckoutSagaInput } from './checkout-types';
import { CLAIM_CART_STEP } from './steps/claim-cart.step';
import { CREATE_ORDER_STEP } from './steps/create-order.step';

export const CHECKOUT_COMPENSATED = 'checkout.compensated';

/**
 * Outbox `checkout.compensated`: exactly one per compensated checkout that had
 * claimed its cart, written in the transaction that marks the saga COMPENSATED
 * (so a second compensation run, or recovery, cannot write it again).
 * - The order had been written: its cancellation (cancelPendingOrder) already
 *   announced it, keyed by the order id, in the same transaction as the cancel;
 *   nothing more is written here.
 * - No order yet (the price guard, stock, vouchers or the amount checks
 *   refused, or a fault struck before create-order): the event is keyed by the
 *   cart id with `orderId: null`, so subscribers still learn that the cart's
 *   checkout attempt was rolled back (stock and voucher holds given back).
 * A saga whose first step never committed claimed nothing and announces nothing.
 */
export function announceCompensation(tx: EntityManager, saga: { sagaId: string; record: SagaRecordData<CheckoutSagaInput>; reason: string }): void {
  const steps = saga.record.steps ?? {};
  if (!(CLAIM_CART_STEP in steps) || CREATE_ORDER_STEP in steps) return;
  const { cartId } = saga.record.input;
  recordEvent(tx, { type: CHECKOUT_COMPENSATED, aggregateId: cartId, payload: { orderId: null, cartId, sagaId: saga.sagaId, reason: saga.reason } });
}
