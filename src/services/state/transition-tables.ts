import {
  CartStatus,
  IdempotencyStatus,
  LicenseStatus,
  OrderStatus,
  OutboxEventStatus,
  PaymentLinkStatus,
  PaymentStatus,
  RedemptionStatus,
  RefundStatus,
  ReservationStatus,
  SagaStatus,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
  TransferStatus,
} from '../../entities/enums';

/**
 * Every lifecycle's allowed moves, declared once (house rule 3, docs/design.md). A move that is
 * not listed here is a programming error: `transition()` throws before any SQL.
 */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export const orderTransitions: TransitionTable<OrderStatus> = {
  [OrderStatus.PENDING_PAYMENT]: [OrderStatus.PLACED, OrderStatus.CANCELLED],
  [OrderStatus.PLACED]: [OrderStatus.CANCELLED, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED],
  [OrderStatus.PARTIALLY_REFUNDED]: [OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED],
  [OrderStatus.CANCELLED]: [],
  [OrderStatus.REFUNDED]: [],
};

export const redemptionTransitions: TransitionTable<RedemptionStatus> = {
  [RedemptionStatus.HELD]: [RedemptionStatus.CONSUMED, RedemptionStatus.RELEASED],
  // A placed cash-on-delivery order that is cancelled gives its voucher back.
  [RedemptionStatus.CONSUMED]: [RedemptionStatus.RELEASED],
  [RedemptionStatus.RELEASED]: [],
};

export const reservationTransitions: TransitionTable<ReservationStatus> = {
  [ReservationStatus.ACTIVE]: [ReservationStatus.RELEASED, ReservationStatus.CONVERTED],
  [ReservationStatus.RELEASED]: [],
  [ReservationStatus.CONVERTED]: [],
};

export const cartTransitions: TransitionTable<CartStatus> = {
  // OPEN → CONVERTED: a checkout that settles in one transaction (cash on delivery, store credit) never shows CHECKING_OUT.
  [CartStatus.OPEN]: [CartStatus.CHECKING_OUT, CartStatus.CONVERTED],
  [CartStatus.CHECKING_OUT]: [CartStatus.OPEN, CartStatus.CONVERTED],
  [CartStatus.CONVERTED]: [],
};

export const paymentTransitions: TransitionTable<PaymentStatus> = {
  [PaymentStatus.PENDING]: [PaymentStatus.REQUIRES_ACTION, PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED, PaymentStatus.FAILED, PaymentStatus.CANCELLED],
  [PaymentStatus.REQUIRES_ACTION]: [PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED, PaymentStatus.FAILED, PaymentStatus.CANCELLED],
  [PaymentStatus.AUTHORIZED]: [PaymentStatus.CAPTURED, PaymentStatus.CANCELLED, PaymentStatus.FAILED],
  [PaymentStatus.CAPTURED]: [],
  [PaymentStatus.FAILED]: [],
  [PaymentStatus.CANCELLED]: [],
};

export const refundTransitions: TransitionTable<RefundStatus> = {
  [RefundStatus.PENDING]: [RefundStatus.SUCCEEDED, RefundStatus.FAILED],
  [RefundStatus.SUCCEEDED]: [],
  [RefundStatus.FAILED]: [],
};

export const transferTransitions: TransitionTable<TransferStatus> = {
  [TransferStatus.PENDING]: [TransferStatus.COMPLETED, TransferStatus.FAILED, TransferStatus.PERMANENTLY_FAILED],
  [TransferStatus.FAILED]: [TransferStatus.PENDING, TransferStatus.COMPLETED, TransferStatus.PERMANENTLY_FAILED],
  [TransferStatus.COMPLETED]: [TransferStatus.REVERSAL_PENDING, TransferStatus.REVERSED],
  [TransferStatus.REVERSAL_PENDING]: [TransferStatus.REVERSED, TransferStatus.COMPLETED, TransferStatus.PERMANENTLY_FAILED],
  [TransferStatus.REVERSED]: [],
  // Only an operator's retry (retrySellerTransfer) leaves it: the transfer is made again, or its reversal, with the same idempotency key.
  [TransferStatus.PERMANENTLY_FAILED]: [TransferStatus.PENDING, TransferStatus.REVERSAL_PENDING],
};

export const sagaTransitions: TransitionTable<SagaStatus> = {
  [SagaStatus.RUNNING]: [SagaStatus.COMPENSATING, SagaStatus.COMPLETED, SagaStatus.FAILED],
  [SagaStatus.COMPENSATING]: [SagaStatus.COMPENSATED, SagaStatus.FAILED],
  [SagaStatus.COMPLETED]: [],
  [SagaStatus.COMPENSATED]: [],
  [SagaStatus.FAILED]: [SagaStatus.COMPENSATING],
};

export const idempotencyTransitions: TransitionTable<IdempotencyStatus> = {
  [IdempotencyStatus.IN_PROGRESS]: [IdempotencyStatus.COMPLETED],
  [IdempotencyStatus.COMPLETED]: [],
};

export const paymentLinkTransitions: TransitionTable<PaymentLinkStatus> = {
  [PaymentLinkStatus.OPEN]: [PaymentLinkStatus.PAID, PaymentLinkStatus.CANCELLED],
  [PaymentLinkStatus.PAID]: [],
  [PaymentLinkStatus.CANCELLED]: [],
};

export const outboxEventTransitions: TransitionTable<OutboxEventStatus> = {
  // PENDING -> PENDING: an operator's replay of an event still retrying (attempts reset, due now).
  [OutboxEventStatus.PENDING]: [OutboxEventStatus.DELIVERED, OutboxEventStatus.DEAD, OutboxEventStatus.PENDING],
  [OutboxEventStatus.DELIVERED]: [],
  // Only an operator's replay brings a dead letter back, with the same event id.
  [OutboxEventStatus.DEAD]: [OutboxEventStatus.PENDING],
};

export const licenseTransitions: TransitionTable<LicenseStatus> = {
  // A revoked license stays revoked: revoking twice changes nothing.
  [LicenseStatus.ACTIVE]: [LicenseStatus.REVOKED],
  [LicenseStatus.REVOKED]: [],
};

export const subscriptionTransitions: TransitionTable<SubscriptionStatus> = {
  // Paid (in the transaction that places its first order), or given up unpaid with the stock, voucher and credit it held.
  [SubscriptionStatus.INCOMPLETE]: [SubscriptionStatus.ACTIVE, SubscriptionStatus.INCOMPLETE_EXPIRED],
  [SubscriptionStatus.INCOMPLETE_EXPIRED]: [],
  // ACTIVE -> ACTIVE: a paid renewal moves the period on, guarded on the status it was renewed from.
  // CANCELED: at the period's end as asked, at once, or by a full refund of the current period.
  [SubscriptionStatus.ACTIVE]: [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED],
  // A retry that is paid brings it back; the last declined retry, or a cancellation, ends it.
  [SubscriptionStatus.PAST_DUE]: [SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCELED],
  [SubscriptionStatus.CANCELED]: [],
};

export const subscriptionPeriodTransitions: TransitionTable<SubscriptionPeriodStatus> = {
  // OPEN -> OPEN: a declined attempt counts itself and schedules the next (attemptCount, nextAttemptAt).
  // VOID: the subscription ended before the period was charged.
  [SubscriptionPeriodStatus.OPEN]: [
    SubscriptionPeriodStatus.OPEN,
    SubscriptionPeriodStatus.PAID,
    SubscriptionPeriodStatus.UNCOLLECTIBLE,
    SubscriptionPeriodStatus.VOID,
  ],
  // A full refund of the period's order: the money went back, the period is not owed.
  [SubscriptionPeriodStatus.PAID]: [SubscriptionPeriodStatus.VOID],
  [SubscriptionPeriodStatus.UNCOLLECTIBLE]: [],
  [SubscriptionPeriodStatus.VOID]: [],
};
