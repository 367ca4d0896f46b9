import { PaymentMethodKind } from '../../entities';
import type { EventToRecord } from '../outbox/outbox';

/** What `order.placed` tells subscribers; checkout's finalize and the payment webhooks both send it. */
export interface PlacedOrderFacts {
  orderId: string;
  cartId: string | null;
  paymentKind: PaymentMethodKind;
  creditApplied: number;
  amountDue: number;
}

/** The `order.placed` event of an order. */
export function orderPlacedEvent(facts: PlacedOrderFacts): EventToRecord {
  const { orderId, cartId, paymentKind, creditApplied, amountDue } = facts;
  return { type: 'order.placed', aggregateId: orderId, payload: { orderId, cartId, paymentKind, creditApplied, amountDue } };
}
