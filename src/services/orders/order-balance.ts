/**
 * What an order's money adds up to: what the buyer paid (card, store credit,
 * collected cash) and what refunds already took or hold. Refunds and seller
 * reversals both decide from this; the refund rules are in
 * refunds/refund-policy.ts.
 */
import { PaymentMethodKind, PaymentStatus, RefundStatus } from '../../entities/enums';

export interface PaymentBalance {
  kind: PaymentMethodKind;
  status: PaymentStatus;
  captured: number;
}

export interface RefundBalance {
  status: RefundStatus;
  amount: number;
  providerAmount: number;
}

export interface RefundableBalance {
  /** Everything the buyer paid that a refund can give back. */
  captured: number;
  /** What the card captured. */
  cardCaptured: number;
  /** captured - SUCCEEDED - PENDING refunds. */
  refundable: number;
  /** cardCaptured - card parts of SUCCEEDED + PENDING refunds. */
  cardRefundable: number;
  /** Sum of SUCCEEDED refunds (order.totals.refunded). */
  refunded: number;
}

const CARD_KINDS: readonly PaymentMethodKind[] = [PaymentMethodKind.CARD, PaymentMethodKind.HOSTED_CHECKOUT];

export const isCardKind = (kind: PaymentMethodKind): boolean => CARD_KINDS.includes(kind);

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

export function refundableBalance(creditApplied: number, payments: readonly PaymentBalance[], refunds: readonly RefundBalance[]): RefundableBalance {
  const capturedOf = (kinds: readonly PaymentMethodKind[]) =>
    sum(payments.filter((p) => p.status === PaymentStatus.CAPTURED && kinds.includes(p.kind)).map((p) => p.captured));
  const cardCaptured = capturedOf(CARD_KINDS);
  // A STORE_CREDIT payment row mirrors creditApplied; counting both would double it.
  const captured = cardCaptured + creditApplied + capturedOf([PaymentMethodKind.CASH_ON_DELIVERY]);
  const live = refunds.filter((r) => r.status !== RefundStatus.FAILED);
  return {
    captured,
    cardCaptured,
    refundable: captured - sum(live.map((r) => r.amount)),
    cardRefundable: cardCaptured - sum(live.map((r) => r.providerAmount)),
    refunded: sum(refunds.filter((r) => r.status === RefundStatus.SUCCEEDED).map((r) => r.amount)),
  };
}
