import type { UnitOfWork } from '../../db/unit-of-work';
import { Customer, Subscription } from '../../entities';
import type { OrderData, PaymentData } from '../checkout/checkout-types';

/**
 * A plan's payment made the buyer a provider customer (cus_…) when they had
 * none: kept on the customer, so every later plan saves its card to the same
 * one, and on the subscription, whose renewals charge it. In finalize's
 * transaction, before the order is placed or handed to the buyer; no
 * statement for any other order, nor when the customer had one already.
 */
export async function keepProviderCustomer(uow: UnitOfWork, order: OrderData, payment: PaymentData): Promise<void> {
  const created = payment.stripeCustomerId;
  if (!order.subscriptionId || !order.customerId || !created || created === order.stripeCustomerId) return;
  // Only where none is stored: a concurrent plan checkout that made the same customer (same key, same cus_) changes nothing.
  await uow.em.nativeUpdate(Customer, { id: order.customerId, stripeCustomerId: null }, { stripeCustomerId: created });
  await uow.em.nativeUpdate(Subscription, { id: order.subscriptionId }, { stripeCustomerId: created });
}
