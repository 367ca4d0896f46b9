import type { EntityManager } from '../../db/orm';
import { Order, OrderStatus, PaymentMethodKind } from '../../entities';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { cancelOrderAndRestore, reopenCartOf } from './cancel-and-restore';

export interface CancelOrderCommand {
  orderId: string;
  reason: string;
  /** `cartId`: what a guest names to prove the order is theirs. */
  /** `tokenOrderId`: the order an order token the caller holds was made for (orderTokenFor). */
  actor: { customerId: string | null; isAdmin: boolean; cartId?: string | null; tokenOrderId?: string | null };
}

/**
 * Who may cancel an order: an admin; the customer who owns it; and, for a
 * guest order (no customer), whoever names the cart it was placed from. That
 * cart id is the guest's capability already (it is all a guest cart needs), and
 * without it a guest could never give back the stock a cash-on-delivery order
 * holds. A customer's order is never cancelled by cart id.
 */
function mayCancel(order: Pick<Order, 'id' | 'customerId' | 'cartId'>, actor: CancelOrderCommand['actor']): boolean {
  if (actor.isAdmin) return true;
  if (order.customerId !== null) return order.customerId === actor.customerId;
  return (!!actor.cartId && order.cartId === actor.cartId) || actor.tokenOrderId === order.id;
}

/**
 * cancelOrder for the owner, a guest with its cart id, or an admin: a
 * PENDING_PAYMENT order, or a PLACED cash-on-delivery one (nothing has been
 * collected or shipped), becomes CANCELLED with everything it took given back,
 * in one transaction. Any other state answers INVALID_STATE_TRANSITION; an order
 * the caller may not cancel is NOT_FOUND, so order ids cannot be probed.
 */
export class CancelOrderService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock' | 'db' | 'stores'>,
  ) {}

  cancel(command: CancelOrderCommand): Promise<Outcome<Order>> {
    const notFound = () => abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such order.', 'orderId'));
    const now = this.deps.clock.now();
    return transactionalOutcome(this.em, async (tx) => {
      if (!isId(command.orderId)) return notFound();
      const uow = this.deps.db.unitOfWork(tx);
      const order = await this.deps.stores.orders.lock(uow, command.orderId);
      if (!order || !mayCancel(order, command.actor)) return notFound();
      const cancellable =
        order.status === OrderStatus.PENDING_PAYMENT || (order.status === OrderStatus.PLACED && order.paymentKind === PaymentMethodKind.CASH_ON_DELIVERY);
      if (!cancellable) {
        return abortWith(
          userFailure(ErrorCode.INVALID_STATE_TRANSITION, `An order that is ${order.status} (${order.paymentKind}) cannot be cancelled.`, 'orderId'),
        );
      }
      const from = order.status as OrderStatus.PENDING_PAYMENT | OrderStatus.PLACED;
      if (!(await cancelOrderAndRestore(uow, this.deps.stores, order, from, command.reason, now))) {
        return abortWith(userFailure(ErrorCode.INVALID_STATE_TRANSITION, 'The order changed state meanwhile; reload it.', 'orderId'));
      }
      if (from === OrderStatus.PENDING_PAYMENT) await reopenCartOf(tx, order);
      await tx.refresh(order);
      return order;
    });
  }
}
