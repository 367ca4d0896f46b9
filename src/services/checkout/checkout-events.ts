import type { EntityManager } from '../../db/orm';
import { recordEvent } from '../outbox/outbox';
import { loadCartSnapshot, snapshotVersionKey } from '../cart/cart-snapshot';
import type { RolledBackGroup } from '../saga/saga-runner';
import type { SagaRecordData } from '../saga/saga-types';
import { FailureSignal, type PriceChange } from '../shared/outcome';
import type { CheckoutDeps, CheckoutSagaInput } from './checkout-types';
import { CartStatus } from '../../entities';
import { CLAIM_CART_STEP } from './steps/claim-cart.step';
import { CREATE_ORDER_STEP } from './steps/create-order.step';

export const CHECKOUT_COMPENSATED = 'checkout.compensated';

/** Outbox `checkout.compensated` for an attempt that had claimed its cart but wrote no order that still exists. */
function announceCartRollback(tx: EntityManager, input: CheckoutSagaInput, sagaId: string, reason: string): void {
  const { cartId } = input;
  recordEvent(tx, { type: CHECKOUT_COMPENSATED, aggregateId: cartId, payload: { orderId: null, cartId, sagaId, reason } });
}

/**
 * Outbox `checkout.compensated`: exactly one per compensated checkout that had
 * claimed its cart, written in the transaction that marks the saga COMPENSATED
 * (so a second compensation run, or recovery, cannot write it again).
 * - The order had been written: its cancellation (cancelPendingOrder) already
 *   announced it, keyed by the order id, in the same transaction as the cancel;
 *   nothing more is written here.
 * - No order yet: the event is keyed by the cart id with `orderId: null`, so
 *   subscribers still learn that the cart's checkout attempt was rolled back.
 */
export function announceCompensation(tx: EntityManager, saga: { sagaId: string; record: SagaRecordData<CheckoutSagaInput>; reason: string }): void {
  const steps = saga.record.steps ?? {};
  if (!(CLAIM_CART_STEP in steps) || CREATE_ORDER_STEP in steps) return;
  announceCartRollback(tx, saga.record.input, saga.sagaId, saga.reason);
}

/**
 * After the checkout's local transaction rolled back (stock, vouchers, the
 * price guard or the amount checks refused, or a fault struck):
 * - an attempt that got past the claim is announced once, keyed by the cart
 *   (an order it wrote never became visible); one refused at the claim
 *   (wrong key, someone else's cart, a replay) claimed nothing and says nothing;
 * - a PriceChangedError leaves the lines at the prices it showed, so
 *   confirming with the key it carried confirms exactly those.
 */
export async function afterCheckoutRollback(
  deps: Pick<CheckoutDeps, 'db' | 'stores'>,
  tx: EntityManager,
  group: RolledBackGroup<CheckoutSagaInput>,
): Promise<void> {
  const failure = group.error instanceof FailureSignal ? group.error.failure : null;
  if (failure?.kind === 'price_changed') await keepShownPrices(deps, tx, group.input, failure.changes, group.now);
  if (!group.reached.includes(CLAIM_CART_STEP) || group.committedBefore) return;
  const reason = failure
    ? `${failure.code}: ${failure.message}`
    : group.error instanceof Error
      ? `${group.error.name}: ${group.error.message}`
      : String(group.error);
  announceCartRollback(tx, group.input, group.sagaId, reason);
}

/**
 * Writes the shown prices onto the cart's lines (a change, so the version
 * moves), unless the cart moved on meanwhile: closed, or changed since the key.
 */
async function keepShownPrices(
  deps: Pick<CheckoutDeps, 'db' | 'stores'>,
  tx: EntityManager,
  input: CheckoutSagaInput,
  changes: readonly PriceChange[],
  now: Date,
): Promise<void> {
  const { carts } = deps.stores;
  const uow = deps.db.unitOfWork(tx);
  const cart = await loadCartSnapshot({ carts, uow }, input.cartId, { lock: true });
  if (!cart || cart.status !== CartStatus.OPEN || snapshotVersionKey(cart) !== input.versionKey) return;
  const claimed = await carts.claimIfUnchanged(uow, { cartId: cart.id, version: cart.version, now, fields: { pricesValidatedAt: now } }, []);
  if (!claimed) return;
  const shown = new Map(changes.map((change) => [change.variantId, change.current]));
  await carts.setLinePrices(
    uow,
    cart.lines.filter((line) => shown.has(line.variantId)).map((line) => ({ id: line.id, unitPrice: shown.get(line.variantId)! })),
  );
}
