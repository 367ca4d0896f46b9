/**
 * Persisted status and kind values. The strings are stored in the database and
 * match the public GraphQL enum values one for one.
 */
export enum Role {
  CUSTOMER = 'CUSTOMER',
  ADMIN = 'ADMIN',
}
export enum CartStatus {
  OPEN = 'OPEN',
  CHECKING_OUT = 'CHECKING_OUT',
  CONVERTED = 'CONVERTED',
}
export enum VoucherKind {
  PERCENT_OFF = 'PERCENT_OFF',
  AMOUNT_OFF = 'AMOUNT_OFF',
  FREE_SHIPPING = 'FREE_SHIPPING',
  CREDIT = 'CREDIT',
}
export enum RedemptionStatus {
  HELD = 'HELD',
  CONSUMED = 'CONSUMED',
  RELEASED = 'RELEASED',
}
export enum ReservationStatus {
  ACTIVE = 'ACTIVE',
  RELEASED = 'RELEASED',
  CONVERTED = 'CONVERTED',
}
export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PLACED = 'PLACED',
  CANCELLED = 'CANCELLED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
}
export enum PaymentMethodKind {
  CARD = 'CARD',
  HOSTED_CHECKOUT = 'HOSTED_CHECKOUT',
  CASH_ON_DELIVERY = 'CASH_ON_DELIVERY',
  STORE_CREDIT = 'STORE_CREDIT',
}
export enum PaymentStatus {
  PENDING = 'PENDING',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  AUTHORIZED = 'AUTHORIZED',
  CAPTURED = 'CAPTURED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
export enum RefundStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
export enum TransferStatus {
  PENDING = 'PENDING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  REVERSAL_PENDING = 'REVERSAL_PENDING',
  REVERSED = 'REVERSED',
  PERMANENTLY_FAILED = 'PERMANENTLY_FAILED',
}
export enum PaymentLinkStatus {
  OPEN = 'OPEN',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
}
export enum SagaStatus {
  RUNNING = 'RUNNING',
  COMPENSATING = 'COMPENSATING',
  COMPLETED = 'COMPLETED',
  COMPENSATED = 'COMPENSATED',
  FAILED = 'FAILED',
}
export enum IdempotencyStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}
/** An outbox event waits (PENDING), was delivered, or gave up after OUTBOX_MAX_ATTEMPTS failures and waits for an operator's replay (DEAD). */
export enum OutboxEventStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
export enum VariantKind {
  PHYSICAL = 'PHYSICAL',
  DIGITAL = 'DIGITAL',
  /** A plan: bought once through checkout, then renewed by the gateway every billing interval (issue 21). */
  SUBSCRIPTION = 'SUBSCRIPTION',
}
export enum BillingInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}
/**
 * INCOMPLETE until the first order is paid (ACTIVE), or given up unpaid
 * (INCOMPLETE_EXPIRED); PAST_DUE while a declined renewal is retried; CANCELED at the end.
 */
export enum SubscriptionStatus {
  INCOMPLETE = 'INCOMPLETE',
  INCOMPLETE_EXPIRED = 'INCOMPLETE_EXPIRED',
  ACTIVE = 'ACTIVE',
  PAST_DUE = 'PAST_DUE',
  CANCELED = 'CANCELED',
}
/** A subscription that holds its plan: entitled, renewed by the worker, ended by a cancellation or a refund. */
export const LIVE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE];
export enum SubscriptionPeriodStatus {
  /** Not charged yet, or a declined charge waits for its retry. */
  OPEN = 'OPEN',
  PAID = 'PAID',
  /** Every retry declined: never charged again. */
  UNCOLLECTIBLE = 'UNCOLLECTIBLE',
  /** Not owed: the subscription ended before it started, or its order was refunded. */
  VOID = 'VOID',
}
export enum LicenseStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
}
