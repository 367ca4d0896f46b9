import type { EntityData } from '@mikro-orm/core';
import type { Stores } from '../../db/stores';
import type { UnitOfWork } from '../../db/unit-of-work';
import { Payment, PaymentStatus, type PaymentMethodKind } from '../../entities';
import { placeOrder } from '../orders/place-order';
import { advanceOntoRenewal, markRenewalPaid } from './renewal-period';

/** A renewal period whose money is in: captured by the provider, or covered by store credit. */
export interface PaidRenewal {
  subscriptionId: string;
  periodId: string;
  periodStart: Date;
  periodEnd: Date;
  /** The attempt that paid it (0: store credit, no charge). */
  attempt: number;
  order: { id: string; customerId: string; paymentKind: PaymentMethodKind; creditApplied: number; amountDue: number; paymentLinkId: string | null };
  /** The payment row's move: CAPTURED with what the provider answered, or the credit's amount. */
  payment: EntityData<Payment>;
  /** A payment link's webhook placed the order already: only the period and the subscription move. */
  orderPlaced?: boolean;
  now: Date;
}

/**
 * In the caller's one transaction: the period PAID (guarded: OPEN), the
 * renewal order PLACED through placeOrder with its payment CAPTURED, the
 * subscription ACTIVE and entitled on the new period, `subscription.renewed`.
 * False when the period was no longer OPEN (another process settled it, or
 * the same answer arrived twice): then nothing was written.
 */
export async function settlePaidRenewal(uow: UnitOfWork, stores: Pick<Stores, 'licenses' | 'outbox'>, paid: PaidRenewal): Promise<boolean> {
  const { now, order } = paid;
  const renewed = { ...paid, orderId: order.id };
  if (!(await markRenewalPaid(uow.em, renewed))) return false;
  if (!paid.orderPlaced)
    await placeOrder(uow, stores, {
      order: {
        orderId: order.id,
        cartId: null,
        customerId: order.customerId,
        paymentKind: order.paymentKind,
        creditApplied: order.creditApplied,
        amountDue: order.amountDue,
        paymentLinkId: order.paymentLinkId,
        digitalUnits: 0,
      },
      now,
      writtenPlaced: false,
      takeStock: async () => {},
      cart: null,
      claim: null,
      payment: { from: [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION], to: PaymentStatus.CAPTURED, fields: paid.payment },
      strict: false,
    });
  await advanceOntoRenewal(uow.em, renewed);
  return true;
}
